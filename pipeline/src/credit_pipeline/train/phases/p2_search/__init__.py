"""Phase 2: the hyper-parameter search (``selection.select_model`` runs it).

``study.py`` is one budgeted Optuna study of a family; ``imbalance.py`` compares the class
imbalance treatments on the retained family's best parameters; ``selection.py`` ties them into
the phase and says which family, parameters and treatment the retained model gets.
"""
