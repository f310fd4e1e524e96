"""The MLflow users job: one account per part of the product, with the least it needs.

Run with the administrator's credentials against a server started by entrypoint.py (default
permission NO_PERMISSIONS, so every right below is an explicit grant). Idempotent: an account
that exists gets its password set again (a rotated secret takes effect on the next run), a grant
that exists is set to the level below.

  credit-training  EDIT on every experiment and registered model: logs runs, registers versions,
                   moves the champion alias (and MANAGE on what it creates, MLflow's own rule)
  credit-services  READ on every experiment and registered model: resolves the alias and
                   downloads the model; cannot move an alias, register or delete a version

Environment: MLFLOW_TRACKING_URI; MLFLOW_AUTH_ADMIN_USERNAME (default admin) and
MLFLOW_AUTH_ADMIN_PASSWORD[_FILE]; MLFLOW_TRAINING_USERNAME / MLFLOW_SERVICES_USERNAME (the
defaults above) and MLFLOW_TRAINING_PASSWORD[_FILE] / MLFLOW_SERVICES_PASSWORD[_FILE].
Exit 0 when every account and grant is in place, 2 with one line otherwise.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

# The image's entrypoint, beside this file: one reader of NAME / NAME_FILE secrets.
from entrypoint import secret_value

#: (account variable prefix, default name, permission on every experiment and model).
ACCOUNTS = (("MLFLOW_TRAINING", "credit-training", "EDIT"),
            ("MLFLOW_SERVICES", "credit-services", "READ"))
RESOURCE_TYPES = ("experiment", "registered_model")


def fail(message: str) -> None:
    print(f"mlflow users: {message}", file=sys.stderr)
    raise SystemExit(2)


def secret(name: str) -> str:
    value = secret_value(os.environ, name)
    if not value:
        fail(f"{name} (or {name}_FILE) is not set")
    if len(value) < 12:
        fail(f"{name} is shorter than 12 characters")
    return value


def wait_for_server(uri: str, seconds: float = 120.0) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{uri.rstrip('/')}/health", timeout=5):
                return
        except OSError as error:
            if time.monotonic() > deadline:
                fail(f"the MLflow server at {uri} did not answer /health: {error}")
            time.sleep(2)


def ensure_account(client: Any, name: str, password: str) -> str:
    from mlflow.exceptions import MlflowException

    try:
        client.get_user(name)
    except MlflowException as error:
        if error.error_code != "RESOURCE_DOES_NOT_EXIST":
            raise
        client.create_user(name, password)
        return "created"
    client.update_user_password(name, password)
    return "password set"


def ensure_grant(client: Any, name: str, resource_type: str, permission: str) -> None:
    from mlflow.exceptions import MlflowException

    try:
        client.grant_user_permission(name, resource_type, "*", permission)
    except MlflowException as error:
        if error.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
        # An existing grant at another level: replace it with the one this job gives.
        client.revoke_user_permission(name, resource_type, "*")
        client.grant_user_permission(name, resource_type, "*", permission)


def main() -> None:
    uri = os.environ.get("MLFLOW_TRACKING_URI", "")
    if not uri.startswith(("http://", "https://")):
        fail(f"MLFLOW_TRACKING_URI must be the server's http(s) address, not {uri!r}")
    accounts = [(os.environ.get(f"{prefix}_USERNAME", default), secret(f"{prefix}_PASSWORD"),
                 permission) for prefix, default, permission in ACCOUNTS]
    os.environ["MLFLOW_TRACKING_USERNAME"] = os.environ.get("MLFLOW_AUTH_ADMIN_USERNAME", "admin")
    os.environ["MLFLOW_TRACKING_PASSWORD"] = secret("MLFLOW_AUTH_ADMIN_PASSWORD")
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    wait_for_server(uri)
    from mlflow.exceptions import MlflowException
    from mlflow.server import get_app_client

    client = get_app_client("basic-auth", tracking_uri=uri)
    try:
        for name, password, permission in accounts:
            what = ensure_account(client, name, password)
            for resource_type in RESOURCE_TYPES:
                ensure_grant(client, name, resource_type, permission)
            print(f"mlflow users: {name} {what}, {permission} on every "
                  f"{' and '.join(RESOURCE_TYPES)}")
    except MlflowException as error:
        fail(f"{error.error_code}: {error.message[:300]}")


if __name__ == "__main__":
    main()
