-- MLflow keeps its own tables (and its own Alembic history) in a database of its own.
CREATE DATABASE mlflow;
