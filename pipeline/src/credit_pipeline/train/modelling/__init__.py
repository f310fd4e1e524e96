"""What the phases are made of: model families and their search spaces, cross-validation,
splits, calibration, metrics, importance and outcomes by group. Plain functions over arrays:
no MLflow run is opened here. A new model family is a ``families.py`` and a ``spaces.py``
entry (and its textbook settings in ``phases/p1_baselines.py``)."""
