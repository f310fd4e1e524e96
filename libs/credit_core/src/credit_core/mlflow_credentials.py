"""The MLflow server's credentials for this process, from a file when they are a secret.

MLflow's client reads ``MLFLOW_TRACKING_USERNAME`` and ``MLFLOW_TRACKING_PASSWORD`` from the
environment. In Kubernetes the password comes from a Secret as that variable; in docker compose
it is a file in a volume (``MLFLOW_TRACKING_PASSWORD_FILE``), so that it never shows in
``docker inspect``: this module reads the file into this process's environment, once, before
the first request to the server. Each part has its own account (mlflow/provision_users.py):
the services read, the training job writes.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["TrackingCredentialsError", "load_tracking_credentials"]


class TrackingCredentialsError(RuntimeError):
    """The password file is named but cannot be read, or is empty."""


def load_tracking_credentials(environ: dict[str, str] | None = None) -> bool:
    """Set ``MLFLOW_TRACKING_PASSWORD`` from ``MLFLOW_TRACKING_PASSWORD_FILE`` if only the file
    is given; True if credentials are now set. A value already in the environment wins."""
    env = os.environ if environ is None else environ
    path = env.get("MLFLOW_TRACKING_PASSWORD_FILE")
    if path and not env.get("MLFLOW_TRACKING_PASSWORD"):
        try:
            password = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise TrackingCredentialsError(
                f"cannot read MLFLOW_TRACKING_PASSWORD_FILE={path}: {error.strerror}") from error
        if not password:
            raise TrackingCredentialsError(f"MLFLOW_TRACKING_PASSWORD_FILE={path} is empty")
        env["MLFLOW_TRACKING_PASSWORD"] = password
    return bool(env.get("MLFLOW_TRACKING_USERNAME") and env.get("MLFLOW_TRACKING_PASSWORD"))
