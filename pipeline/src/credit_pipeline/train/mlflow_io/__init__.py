"""MLflow matters: where runs go and what they log, the pyfunc model a version serves, what is
attached to a version, its registration and the champion rule, the model card, and the results
page read back from the runs. (Named so as not to shadow the ``mlflow`` package.)"""
