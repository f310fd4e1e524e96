"""The training phases, one module each, numbered in the order ``run_training`` runs them.

``context.py`` is what they all see (the training split only); ``p2_search/`` is a folder
because the search has three parts (the budgeted studies, the selection, the imbalance
comparison). A new phase gets the number of its place in the run.
"""
