"""The images: hadolint-clean, one service's dependencies each from the frozen lock, non-root,
a health check on the service's own health route and port, its command, and no secret."""

from __future__ import annotations

import re
import subprocess
import tomllib

import pytest

from credit_launcher.plan import MLFLOW_PORT, mlflow_argv, service_argv
from tests.deploy.code_facts import (
    ALL_SERVICES,
    ROOT,
    require,
    service_facts,
    service_routes,
)
from tests.deploy.files import BIN, DOCKERFILES, dockerfile, last

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|PGPASS", re.IGNORECASE)


def test_every_dockerfile_is_listed() -> None:
    found = {str(path.relative_to(ROOT)) for pattern in ("services/*/Dockerfile",
                                                         "pipeline/Dockerfile", "mlflow/Dockerfile")
             for path in ROOT.glob(pattern)}
    assert found == set(DOCKERFILES.values())


@pytest.mark.parametrize("path", DOCKERFILES.values())
def test_hadolint_finds_nothing(path: str) -> None:
    result = subprocess.run([str(BIN / "hadolint"), path], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", DOCKERFILES.values())
def test_runs_as_a_non_root_user_with_no_secret(path: str) -> None:
    instructions = dockerfile(path)
    assert last(instructions, "USER").arguments == "10001:10001"
    for instruction in instructions:
        if instruction.keyword in ("ENV", "ARG"):
            names = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", instruction.arguments)
            assert not [n for n in names if SECRET_NAME.search(n)], instruction
        if instruction.keyword in ("COPY", "ADD"):
            assert ".env" not in instruction.arguments.split(), instruction
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".env", "**/*.env", "var", ".git"} <= set(ignored)


def _member_package(folder: str) -> str:
    return str(tomllib.loads((ROOT / folder / "pyproject.toml").read_text())["project"]["name"])


@pytest.mark.parametrize("name", [n for n in DOCKERFILES if n != "mlflow"])
def test_dependencies_come_first_from_the_frozen_lock_for_one_package(name: str) -> None:
    instructions = dockerfile(DOCKERFILES[name])
    folder = DOCKERFILES[name].rsplit("/", 1)[0]
    package = _member_package(folder)
    syncs = [i for i, step in enumerate(instructions)
             if step.keyword == "RUN" and "uv sync" in step.arguments]
    copy_sources = next(i for i, step in enumerate(instructions)
                        if step.keyword == "COPY" and step.arguments.startswith(folder + " "))
    assert len(syncs) == 2 and syncs[0] < copy_sources < syncs[1]
    for index in syncs:
        arguments = instructions[index].arguments.split()
        assert {"--frozen", "--no-dev", "--package", package} <= set(arguments)
        assert arguments[arguments.index("--package") + 1] == package
    assert "--no-install-workspace" in instructions[syncs[0]].arguments
    assert "--no-install-workspace" not in instructions[syncs[1]].arguments


def _health_url(path: str) -> tuple[int, str]:
    command = last(dockerfile(path), "HEALTHCHECK").exec_form()
    match = re.search(r"http://127\.0\.0\.1:(\d+)(/[a-z]+)", " ".join(command))
    assert match, command
    return int(match.group(1)), match.group(2)


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_port_health_check_and_command_are_the_services_own(service: str) -> None:
    facts = require(service_facts(service), f"the {service} service's settings")
    path = DOCKERFILES[service]
    instructions = dockerfile(path)
    assert last(instructions, "EXPOSE").arguments == str(facts.port)
    port, health_path = _health_url(path)
    assert (port, health_path) == (facts.port, "/healthz")
    assert last(instructions, "CMD").exec_form() == service_argv(service, "0.0.0.0", facts.port)
    assert health_path in require(service_routes(service), f"the {service} service's app")


def test_mlflow_image_serves_artifacts_on_the_supervisors_port() -> None:
    instructions = dockerfile(DOCKERFILES["mlflow"])
    command = last(instructions, "CMD").exec_form()
    local = mlflow_argv("backend", "artifacts", "0.0.0.0", MLFLOW_PORT)
    assert command[:2] == local[:2] == ["mlflow", "server"]
    for flag in ("--host", "--port"):
        assert command[command.index(flag) + 1] == local[local.index(flag) + 1]
    assert "--serve-artifacts" in command and "--serve-artifacts" in local
    env = " ".join(i.arguments for i in instructions if i.keyword == "ENV")
    assert "MLFLOW_ARTIFACTS_DESTINATION=/mlartifacts" in env
    assert last(instructions, "EXPOSE").arguments == str(MLFLOW_PORT)
    assert _health_url(DOCKERFILES["mlflow"]) == (MLFLOW_PORT, "/health")


def test_mlflow_image_runs_the_locked_mlflow_and_psycopg() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}
    pins = dict(re.findall(r"^([a-z0-9-]+)==([^\s;]+)", (ROOT / "mlflow/requirements.txt").read_text(),
                           re.MULTILINE))
    for name in ("mlflow", "mlflow-skinny", "psycopg", "psycopg-binary"):
        assert pins[name] == locked[name], name
