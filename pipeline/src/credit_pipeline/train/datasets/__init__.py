"""``TrainingData``, the one input of ``run_training``, and its sources besides the feature
store (``credit_pipeline.features.training``): any tabular file, and a synthetic set with a
known signal for tests and benchmarks."""
