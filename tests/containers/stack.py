"""The compose stack under test: brought up from a clean state, driven through its scripts.

Everything goes through the project's own scripts (scripts/compose.sh, base-images.sh,
wait-healthy.sh), so the test exercises what `make up` runs. The stack uses the published
ports of docker-compose.yml (127.0.0.1 only), read from credit_core.topology.
"""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from credit_core.topology import MLFLOW, SERVICES

ROOT = Path(__file__).resolve().parents[2]
#: The applications init generates: small, so that data and training take about a minute.
INIT_ROWS = os.environ.get("CONTAINERS_INIT_ROWS", "5000")
READY_TIMEOUT = os.environ.get("CONTAINERS_READY_TIMEOUT", "1200")


class StackError(RuntimeError):
    """A step of the stack's life failed; the message holds the end of its output."""


def run(*argv: str, timeout: float = 3600) -> str:
    """A project script (path relative to the root) with its arguments; its standard output."""
    environment = {**os.environ, "INIT_ROWS": INIT_ROWS}
    result = subprocess.run([str(ROOT / argv[0]), *argv[1:]], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise StackError(f"{' '.join(argv)} exited {result.returncode}:\n"
                         f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def compose(*arguments: str, timeout: float = 3600) -> str:
    """scripts/compose.sh with arguments (the compose that is installed)."""
    return run("scripts/compose.sh", *arguments, timeout=timeout)


def sql(query: str) -> list[str]:
    """One query in the stack's database, through psql in the postgres container."""
    output = compose("exec", "-T", "postgres", "psql", "-U", "credit", "-d", "credit", "-Atc", query,
                     timeout=60)
    return [line for line in output.splitlines() if line]


def busy_ports() -> list[int]:
    """The stack's published ports that something on this machine already listens on."""
    busy = []
    for port in [part.port for part in SERVICES.values()] + [MLFLOW.port]:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                busy.append(port)
    return busy


@dataclass(frozen=True)
class Stack:
    """What the tests need to talk to the running stack."""

    integrator_key: str
    ops_key: str
    #: An admin key: integrators score and nothing else (they may not read clients back).
    admin_key: str
    admin_user: str
    admin_password: str
    client_ids: list[int]
    #: The services' MLflow account (read-only) and the training account (writes).
    mlflow_services_password: str
    mlflow_training_password: str

    @staticmethod
    def url(name: str) -> str:
        part = MLFLOW if name == MLFLOW.name else SERVICES[name]
        return f"http://127.0.0.1:{part.port}"


def bring_up() -> Stack:
    """From nothing: base images, images, stack up and healthy, credentials read back."""
    compose("down", "-v", "--remove-orphans", timeout=300)
    busy = busy_ports()
    if busy:
        raise StackError(f"ports {busy} are in use on 127.0.0.1: stop what listens there "
                         "(make run?) before the container tests")
    run("scripts/base-images.sh")
    compose("build")
    compose("up", "-d")
    run("scripts/wait-healthy.sh", READY_TIMEOUT, timeout=int(READY_TIMEOUT) + 60)
    secret = ("exec", "-T", "scoring", "cat")
    # An ops key for the drift run, made by the pipeline image as an operator would.
    ops = compose("run", "--rm", "--no-deps", "-T", "init", "credit", "keys", "create",
                  "containers-test-ops", "--role", "ops", timeout=300)
    admin = compose("run", "--rm", "--no-deps", "-T", "init", "credit", "keys", "create",
                    "containers-test-admin", "--role", "admin", timeout=300)
    ids = [int(i) for i in sql("SELECT \"SK_ID_CURR\" FROM client_features "
                               "WHERE split = 'test' ORDER BY 1 LIMIT 5")]
    return Stack(integrator_key=compose(*secret, "/run/credit/integrator_api_key").strip(),
                 ops_key=ops.strip().splitlines()[-1],
                 admin_key=admin.strip().splitlines()[-1],
                 admin_user=os.environ.get("CREDIT_ADMIN_USER", "admin"),
                 admin_password=compose(*secret, "/run/credit/admin_password").strip(),
                 client_ids=ids,
                 mlflow_services_password=compose(
                     *secret, "/run/credit/mlflow_services_password").strip(),
                 mlflow_training_password=compose(
                     "run", "--rm", "--no-deps", "-T", "--entrypoint", "cat", "init",
                     "/run/mlflow-training/password", timeout=300).strip())


def tear_down() -> None:
    """Containers, networks and volumes removed (the images stay, for the next build's cache)."""
    compose("down", "-v", "--remove-orphans", timeout=300)
