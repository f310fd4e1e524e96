"""The MLflow image's entrypoint: the tracking server behind MLflow's basic-auth app.

Reads the secrets from files (``<NAME>_FILE``: a mounted Secret or volume, never a value in
``docker inspect``), writes the auth app's configuration to a private file under /tmp, makes
sure the auth store's PostgreSQL database exists, then runs the command (the image's CMD,
``mlflow server ...``) with ``--app-name basic-auth`` added.

Environment:
  MLFLOW_AUTH                       ``basic`` (default): authentication on; ``none``: off, for a
                                    server that only listens on loopback
  MLFLOW_AUTH_ADMIN_USERNAME        the MLflow administrator (default ``admin``); used only by the
                                    users job (provision_users.py), never by a service
  MLFLOW_AUTH_ADMIN_PASSWORD[_FILE] its password (MLflow creates the account on first start)
  MLFLOW_FLASK_SERVER_SECRET_KEY[_FILE]  the CSRF key of the auth app (the same for every worker)
  MLFLOW_AUTH_DATABASE_URI          where users and permissions live (default: the backend store
                                    URI with the database ``<name>_auth``, or a SQLite file)
  MLFLOW_AUTH_DEFAULT_PERMISSION    what a user has where nothing was granted (``NO_PERMISSIONS``:
                                    every right is an explicit grant)
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

SECRETS = ("MLFLOW_AUTH_ADMIN_PASSWORD", "MLFLOW_FLASK_SERVER_SECRET_KEY")


def fail(message: str) -> None:
    print(f"mlflow entrypoint: {message}", file=sys.stderr)
    raise SystemExit(2)


def secret_value(environ: Mapping[str, str], name: str) -> str | None:
    """``NAME``, else the contents of the file ``NAME_FILE`` names (stripped), else None; an
    unreadable file ends the process with one line. Also used by provision_users.py."""
    value = environ.get(name)
    path = environ.get(f"{name}_FILE")
    if not value and path:
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            fail(f"cannot read {name}_FILE={path}: {error.strerror}")
    return value or None


def read_secret_files(environ: dict[str, str]) -> None:
    """``NAME_FILE`` -> ``NAME`` for each secret, in this process's environment only."""
    for name in SECRETS:
        value = secret_value(environ, name)
        if value:
            environ[name] = value


def auth_database_uri(environ: dict[str, str]) -> str:
    """The auth store: given, or beside the backend store (PostgreSQL ``<db>_auth``)."""
    given = environ.get("MLFLOW_AUTH_DATABASE_URI")
    if given:
        return given
    backend = environ.get("MLFLOW_BACKEND_STORE_URI", "")
    if backend.startswith("postgresql"):
        from sqlalchemy.engine import make_url

        url = make_url(backend)
        return url.set(database=f"{url.database}_auth").render_as_string(hide_password=False)
    return "sqlite:////var/lib/mlflow/basic_auth.db"


def ensure_postgres_database(uri: str) -> None:
    """Create the auth store's database if it is missing (an existing volume from before)."""
    if not uri.startswith("postgresql"):
        return
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    url = make_url(uri)
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"),
                                        {"d": url.database}).first()
            if exists is None:
                quoted = connection.dialect.identifier_preparer.quote(str(url.database))
                connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
                print(f"mlflow entrypoint: created database {url.database}", file=sys.stderr)
    finally:
        engine.dispose()


def write_auth_config(environ: dict[str, str], uri: str) -> Path:
    directory = Path(tempfile.mkdtemp(prefix="mlflow-auth-"))  # 0700
    path = directory / "basic_auth.ini"
    permission = environ.get("MLFLOW_AUTH_DEFAULT_PERMISSION", "NO_PERMISSIONS")
    admin = environ.get("MLFLOW_AUTH_ADMIN_USERNAME", "admin")
    path.write_text(
        "[mlflow]\n"
        f"default_permission = {permission}\n"
        f"database_uri = {uri}\n"
        f"admin_username = {admin}\n"
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n",
        encoding="utf-8")
    path.chmod(0o600)
    return path


def main(argv: list[str]) -> None:
    environ = os.environ
    command = argv or ["mlflow", "server"]
    mode = environ.get("MLFLOW_AUTH", "basic")
    if mode not in ("basic", "none"):
        fail(f"MLFLOW_AUTH must be 'basic' or 'none', not {mode!r}")
    if mode == "basic":
        read_secret_files(environ)
        for name in SECRETS:
            if not environ.get(name):
                fail(f"authentication is on (MLFLOW_AUTH=basic) but {name} (or {name}_FILE) "
                     "is not set")
        uri = auth_database_uri(environ)
        ensure_postgres_database(uri)
        environ["MLFLOW_AUTH_CONFIG_PATH"] = str(write_auth_config(environ, uri))
        if command[:2] == ["mlflow", "server"] and "--app-name" not in command:
            command = [*command, "--app-name", "basic-auth"]
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
