"""Training: the phases of ``credit train``, in run order, and what they are made of.

- ``run.py``        ``run_training``: the six phases in order under one parent MLflow run;
- ``profiles.py``   the budgets (rows, folds, trials, trees) of each phase;
- ``phases/``       one module per phase, numbered in run order (``p1_baselines`` ...
                    ``p6_publish``), and ``context.py``: what every phase sees;
- ``modelling/``    the model families and their search spaces, cross-validation, splits,
                    calibration, metrics, importance, fairness (no MLflow, no phase);
- ``datasets/``     ``TrainingData`` and its sources besides the feature store: any tabular
                    file (``--data``) and a synthetic set with a known signal;
- ``mlflow_io/``    MLflow matters: tracking, the pyfunc model, packaging, the registry and the
                    promotion rule, the model card, the results page.

The command line is ``credit_pipeline.commands.train``. Nothing heavy is imported here, so
that the CLI starts fast.
"""
