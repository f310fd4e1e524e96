"""MLflow behind its basic-auth app, as compose and Kubernetes run it (issue 14, item 5).

A real server started through the image's entrypoint (mlflow/entrypoint.py) on a SQLite store,
the users job (mlflow/provision_users.py) run twice, then: anonymous and wrong credentials are
401, the services' account reads the champion but cannot move it or delete a version (403), the
training account registers and moves it, and the services' model source finds the champion with
its password given as a file (credit_core.mlflow_credentials), as in compose.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from credit_core.model_source import ModelSource, RegistryUnavailable
from tests.deploy.code_facts import ROOT
from tests.deploy.files import containers, workloads

pytestmark = pytest.mark.xdist_group("mlflow-auth")

MODEL = "credit-default"
PASSWORDS = {"admin": "admin-password-0123", "credit-training": "training-password-0123",
             "credit-services": "services-password-0123"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    home = tmp_path_factory.mktemp("mlflow-auth")
    secrets = home / "secrets"
    secrets.mkdir()
    for name, password in PASSWORDS.items():
        (secrets / name).write_text(password + "\n")
    (secrets / "flask").write_text("csrf-key-for-the-test\n")
    port = _free_port()
    uri = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true",
           "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false", "TMPDIR": str(home),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "MLFLOW_AUTH_ADMIN_PASSWORD_FILE": str(secrets / "admin"),
           "MLFLOW_FLASK_SERVER_SECRET_KEY_FILE": str(secrets / "flask"),
           "MLFLOW_AUTH_DATABASE_URI": f"sqlite:///{home}/auth.db"}
    for name in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_URI"):
        env.pop(name, None)
    log = (home / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "mlflow/entrypoint.py"), "mlflow", "server", "--host",
         "127.0.0.1", "--port", str(port), "--backend-store-uri", f"sqlite:///{home}/mlflow.db",
         "--artifacts-destination", str(home / "artifacts"), "--serve-artifacts",
         "--workers", "1"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=home)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{uri}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError((home / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        yield {"uri": uri, "home": home, "secrets": secrets, "env": env}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _provision(server: dict[str, object]) -> subprocess.CompletedProcess[str]:
    secrets = server["secrets"]
    assert isinstance(secrets, Path)
    env = {**server["env"], "MLFLOW_TRACKING_URI": str(server["uri"]),  # type: ignore[dict-item]
           "MLFLOW_TRAINING_PASSWORD_FILE": str(secrets / "credit-training"),
           "MLFLOW_SERVICES_PASSWORD_FILE": str(secrets / "credit-services")}
    return subprocess.run([sys.executable, str(ROOT / "mlflow/provision_users.py")], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def provisioned(server: dict[str, object]) -> dict[str, object]:
    for _ in range(2):  # idempotent: a second run (every `up`) changes nothing and succeeds
        done = _provision(server)
        assert done.returncode == 0, done.stderr
    assert "credit-services" in done.stdout and "READ" in done.stdout
    return server


def _as(user: str) -> tuple[str, str]:
    return (user, PASSWORDS[user])


def _register(uri: str) -> str:
    """A model version registered by the training account, as `credit train` does."""
    code = f"""
import os, mlflow, numpy as np
from sklearn.linear_model import LogisticRegression
os.environ.update(MLFLOW_TRACKING_USERNAME="credit-training",
                  MLFLOW_TRACKING_PASSWORD={PASSWORDS['credit-training']!r})
mlflow.set_tracking_uri({uri!r})
mlflow.set_registry_uri({uri!r})
mlflow.set_experiment("credit-default")
model = LogisticRegression().fit(np.array([[0.0], [1.0]]), [0, 1])
with mlflow.start_run():
    info = mlflow.sklearn.log_model(model, name="model", registered_model_name={MODEL!r})
client = mlflow.MlflowClient()
client.set_registered_model_alias({MODEL!r}, "champion", info.registered_model_version)
print(info.registered_model_version)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=180, env={k: v for k, v in os.environ.items()
                                            if not k.startswith("MLFLOW_")}
                          | {"MLFLOW_DISABLE_TELEMETRY": "true"})
    assert done.returncode == 0, done.stderr[-2000:]
    version = done.stdout.strip().splitlines()[-1]
    assert version.isdigit(), done.stdout[-2000:]
    return version


def test_nothing_reaches_the_registry_without_credentials(provisioned: dict[str, object]) -> None:
    uri = str(provisioned["uri"])
    assert httpx.get(f"{uri}/health").status_code == 200  # the probes stay open
    for auth in (None, ("admin", "wrong"), ("credit-services", "wrong"), ("nobody", "x" * 16)):
        answer = httpx.get(f"{uri}/api/2.0/mlflow/registered-models/search", auth=auth)
        assert answer.status_code == 401, (auth, answer.text)


def test_only_the_training_account_moves_the_champion(provisioned: dict[str, object],
                                                      tmp_path: Path) -> None:
    uri = str(provisioned["uri"])
    version = _register(uri)
    api = f"{uri}/api/2.0/mlflow"
    champion = {"name": MODEL, "alias": "champion"}
    read = httpx.get(f"{api}/registered-models/alias", params=champion,
                     auth=_as("credit-services"))
    assert read.status_code == 200 and read.json()["model_version"]["version"] == version
    move = {**champion, "version": version}
    for auth, expected in ((None, 401), (_as("credit-services"), 403)):
        moved = httpx.post(f"{api}/registered-models/alias", json=move, auth=auth)
        assert moved.status_code == expected, moved.text
        deleted = httpx.post(f"{api}/model-versions/delete",
                             json={"name": MODEL, "version": version}, auth=auth)
        assert deleted.status_code == expected, deleted.text
    moved = httpx.post(f"{api}/registered-models/alias", json=move, auth=_as("credit-training"))
    assert moved.status_code == 200, moved.text

    # The services' model source: the password from a file, as compose gives it.
    password_file = tmp_path / "services-password"
    password_file.write_text(PASSWORDS["credit-services"] + "\n")
    names = ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD",
             "MLFLOW_TRACKING_PASSWORD_FILE")
    saved = {name: os.environ.get(name) for name in names}
    try:
        os.environ.pop("MLFLOW_TRACKING_PASSWORD", None)
        os.environ["MLFLOW_TRACKING_USERNAME"] = "credit-services"
        os.environ["MLFLOW_TRACKING_PASSWORD_FILE"] = str(password_file)
        source = ModelSource(uri, MODEL, "champion", tmp_path / "cache")
        assert source.resolve()[0] == version
        os.environ.pop("MLFLOW_TRACKING_PASSWORD")
        os.environ["MLFLOW_TRACKING_PASSWORD_FILE"] = str(tmp_path / "missing")
        with pytest.raises(RegistryUnavailable, match="MLFLOW_TRACKING_PASSWORD_FILE"):
            source.resolve()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_the_entrypoint_refuses_to_start_without_its_secrets(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    done = subprocess.run([sys.executable, str(ROOT / "mlflow/entrypoint.py"), "true"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "MLFLOW_AUTH_ADMIN_PASSWORD" in done.stderr
    env["MLFLOW_AUTH_ADMIN_PASSWORD_FILE"] = str(tmp_path / "absent")
    done = subprocess.run([sys.executable, str(ROOT / "mlflow/entrypoint.py"), "true"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "cannot read MLFLOW_AUTH_ADMIN_PASSWORD_FILE" in done.stderr


def test_the_users_job_says_what_is_missing(server: dict[str, object]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env["MLFLOW_TRACKING_URI"] = str(server["uri"])
    done = subprocess.run([sys.executable, str(ROOT / "mlflow/provision_users.py")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == ("mlflow users: MLFLOW_TRAINING_PASSWORD (or "
                                   "MLFLOW_TRAINING_PASSWORD_FILE) is not set")


# --- the deployment files give each part its own account, and nothing more -----------------

#: Which MLflow account each part uses; the administrator's password goes to no part.
ACCOUNT_OF = {"scoring": "credit-services", "explain": "credit-services",
              "monitoring": "credit-services", "batch-score": "credit-services",
              "train": "credit-training", "init": "credit-training"}
SECRET_OF = {"credit-services": "MLFLOW_SERVICES_PASSWORD",
             "credit-training": "MLFLOW_TRAINING_PASSWORD"}


def _secret_keys(container: dict[str, Any]) -> set[str]:
    return {entry["valueFrom"]["secretKeyRef"]["key"] for entry in container.get("env", [])
            if "secretKeyRef" in entry.get("valueFrom", {})}


def test_compose_runs_mlflow_with_authentication_and_an_account_per_part(
        compose: dict[str, Any]) -> None:
    services = compose["services"]
    server = services["mlflow"]["environment"]
    assert server.get("MLFLOW_AUTH", "basic") == "basic"
    assert {"MLFLOW_AUTH_ADMIN_PASSWORD_FILE", "MLFLOW_FLASK_SERVER_SECRET_KEY_FILE"} <= set(server)
    admin_volume = server["MLFLOW_AUTH_ADMIN_PASSWORD_FILE"].rsplit("/", 1)[0]
    for name, service in services.items():
        environment = service.get("environment") or {}
        if name in ACCOUNT_OF:
            assert environment["MLFLOW_TRACKING_USERNAME"] == ACCOUNT_OF[name], name
            assert "MLFLOW_TRACKING_PASSWORD" not in environment, f"{name}: a file, not a value"
        mounts = [str(volume).split(":")[1] for volume in service.get("volumes", [])]
        if name not in ("secrets", "mlflow", "mlflow-users"):
            assert admin_volume not in mounts, f"{name} can read MLflow's admin password"
        if name in ACCOUNT_OF and ACCOUNT_OF[name] == "credit-services":
            assert "/run/mlflow-training" not in mounts, f"{name} can read the training password"


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_kubernetes_runs_mlflow_with_authentication_and_an_account_per_part(
        rendered: dict[str, list[dict[str, Any]]], overlay: str) -> None:
    objects = rendered[overlay]
    server = next(c for w in workloads(objects) if w["metadata"]["name"] == "mlflow"
                  for c in containers(w))
    environment = {entry["name"]: entry for entry in server["env"]}
    assert "MLFLOW_AUTH" not in environment or environment["MLFLOW_AUTH"]["value"] == "basic"
    assert {"MLFLOW_AUTH_ADMIN_PASSWORD", "MLFLOW_FLASK_SERVER_SECRET_KEY"} <= set(environment)
    seen = set()
    for workload in workloads(objects):
        name = workload["metadata"]["name"]
        for container in containers(workload):
            keys = _secret_keys(container)
            if name not in ("mlflow", "mlflow-users"):
                assert "MLFLOW_ADMIN_PASSWORD" not in keys, name
            names = {e["name"]: e for e in container.get("env", [])}
            if name in ACCOUNT_OF and "MLFLOW_TRACKING_USERNAME" in names:  # not a data step
                seen.add(name)
                assert names["MLFLOW_TRACKING_USERNAME"]["value"] == ACCOUNT_OF[name], name
                assert keys & set(SECRET_OF.values()) == {SECRET_OF[ACCOUNT_OF[name]]}, name
    assert seen == set(ACCOUNT_OF) - {"init"}
