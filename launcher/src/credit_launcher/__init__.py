"""The local launcher: the platform's services and the MLflow UI as local processes.

`credit serve SERVICE` runs one service in this process with the command its container runs;
`credit serve all` (or `credit serve-all`, `python -m credit_launcher`) runs every installed
service and the MLflow UI under one supervisor. The commands join the `credit` command line
through the ``credit.commands`` entry-point group (see ``credit_launcher.commands``).

The services are found by the names in ``credit_core.topology`` and started by their module
names: nothing here imports a service at module level, and nothing imports the pipeline.
"""
