"""Training: baselines, hyper-parameter search, the retained model, the threshold, the registry.

One module per stage; ``pipeline.run_training`` runs them in order and ``command`` exposes
``credit train`` and ``credit train results``. Nothing heavy is imported here, so that the CLI
starts fast.
"""
