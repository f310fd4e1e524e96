"""docker-compose.yml: valid against the compose specification and readable by docker-compose
1.29 too, buildable from this tree, hardened, ordered by health, configured from .env without
any secret, mounted scripts that exist and parse."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
import yaml

from tests.deploy.code_facts import ROOT, check_cli_call, credit_calls
from tests.deploy.files import (
    COMPOSE_SCRIPTS,
    DOCKERFILES,
    compose_script,
    dockerfile,
    interpolations,
    last,
    stage,
)

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY", re.IGNORECASE)
OUR_SERVICES = ("mlflow", "init", "scoring", "explain", "monitoring", "ui")


def test_valid_against_the_compose_specification() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
         str(ROOT / "docker-compose.yml")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_what_docker_compose_1_29_reads() -> None:
    """Debian's docker-compose 1.29 refuses a top-level `name` and ignores `configs`."""
    document = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "name" not in document and "configs" not in document
    for name, service in document["services"].items():
        assert "configs" not in service and "secrets" not in service, name


def test_every_image_builds_from_an_existing_dockerfile(compose: dict[str, Any]) -> None:
    built = {}
    for name, service in compose["services"].items():
        if "build" in service:
            build = service["build"]
            path = build.get("dockerfile", "Dockerfile")
            assert (ROOT / build["context"]).is_dir(), name
            assert (ROOT / build["context"] / path).is_file(), name
            image = service["image"].split(":")[0]
            built[image.removeprefix("credit-platform/")] = path
    assert built == DOCKERFILES


def _image_healthcheck(service: dict[str, Any]) -> bool:
    if "build" not in service:
        return False
    build = service["build"]
    instructions = dockerfile(build.get("dockerfile", "Dockerfile"))
    check = last(stage(instructions, build.get("target")), "HEALTHCHECK")
    return check.arguments != "NONE"


def test_servers_are_checked_and_ordered_by_health(compose: dict[str, Any]) -> None:
    services = compose["services"]
    one_shots = {name for name, s in services.items() if s.get("restart") == "no"}
    assert one_shots == {"secrets", "mlflow-users", "init"}
    for name, service in services.items():
        if name not in one_shots:
            assert "healthcheck" in service or _image_healthcheck(service), name
        for dependency, condition in service.get("depends_on", {}).items():
            expected = ("service_completed_successfully" if dependency in one_shots
                        else "service_healthy")
            assert condition["condition"] == expected, (name, dependency)
    for api in ("scoring", "explain", "monitoring"):
        assert services[api]["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert set(services["ui"]["depends_on"]) == {"scoring", "explain", "monitoring"}


def test_our_containers_are_read_only_and_unprivileged(compose: dict[str, Any]) -> None:
    for name in OUR_SERVICES:
        service = compose["services"][name]
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert "user" not in service, "the image's non-root user applies"


def test_the_dashboard_cannot_reach_the_database_or_mlflow(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["ui"]["networks"] == ["frontend"]
    for store in ("postgres", "mlflow"):
        assert services[store]["networks"] == ["backend"]


def test_no_secret_in_the_file_and_every_variable_documented(compose: dict[str, Any]) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(),
                                re.MULTILINE))
    for variable, operator, default in interpolations(text):
        assert variable in documented, f"{variable} is not in .env.example"
        if SECRET_NAME.search(variable):
            assert operator == ":-" and default == "", f"{variable} must not have a default"
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key) and not key.endswith("_FILE"):
                assert str(value).startswith("${"), f"{name}: {key} holds a literal value"


def test_named_volumes_are_declared(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith(("/", ".", "$")):
                assert source in declared, (name, source)


def test_bind_mounts_exist(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).is_file(), (name, source)


@pytest.mark.parametrize("service", COMPOSE_SCRIPTS)
def test_the_mounted_scripts_parse(compose: dict[str, Any], service: str) -> None:
    command = compose["services"][service]["command"]
    assert command[0] == "sh"
    mounts = [v.split(":")[:2] for v in compose["services"][service]["volumes"]]
    assert [f"./{COMPOSE_SCRIPTS[service]}", command[1]] in mounts
    result = subprocess.run(["sh", "-n", str(ROOT / COMPOSE_SCRIPTS[service])],
                            capture_output=True, text=True, timeout=10)
    assert result.returncode == 0, result.stderr


def test_init_runs_existing_cli_commands_in_order() -> None:
    script = compose_script("init")
    calls = credit_calls(script)
    for call in calls:
        assert check_cli_call(call) is None, check_cli_call(call)
    steps = [" ".join(call[:2]) for call in calls]
    expected = ["db upgrade", "data generate", "data load", "train --profile", "keys create",
                "users add"]
    last_call = {step: index for index, step in enumerate(steps)}
    assert sorted(expected, key=last_call.__getitem__) == expected
    assert ["data", "load", "/data/kaggle"] in calls
