"""docker-compose.yml: valid against the compose specification, buildable from this tree,
hardened, ordered by health, configured from .env without any secret, scripts that parse."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest

from tests.deploy.code_facts import ROOT, check_cli_call, credit_calls
from tests.deploy.files import DOCKERFILES, dockerfile, interpolations, last, unescape_compose

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY", re.IGNORECASE)
OUR_SERVICES = ("mlflow", "init", "scoring", "explain", "monitoring", "ui")


def test_valid_against_the_compose_specification() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
         str(ROOT / "docker-compose.yml")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_image_builds_from_an_existing_dockerfile(compose: dict[str, Any]) -> None:
    built = {}
    for name, service in compose["services"].items():
        if "build" in service:
            build = service["build"]
            assert (ROOT / build["context"]).is_dir(), name
            assert (ROOT / build["context"] / build["dockerfile"]).is_file(), name
            image = service["image"].split(":")[0]
            built[image.removeprefix("credit-platform/")] = build["dockerfile"]
    assert built == DOCKERFILES


def _image_healthcheck(service: dict[str, Any]) -> bool:
    if "build" not in service:
        return False
    check = last(dockerfile(service["build"]["dockerfile"]), "HEALTHCHECK")
    return check.arguments != "NONE"


def test_servers_are_checked_and_ordered_by_health(compose: dict[str, Any]) -> None:
    services = compose["services"]
    one_shots = {name for name, s in services.items() if s.get("restart") == "no"}
    assert one_shots == {"secrets", "init"}
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


@pytest.mark.parametrize("config", ["make-secrets", "init"])
def test_the_scripts_parse(compose: dict[str, Any], config: str) -> None:
    script = unescape_compose(compose["configs"][config]["content"])
    result = subprocess.run(["sh", "-n"], input=script, capture_output=True, text=True, timeout=10)
    assert result.returncode == 0, result.stderr


def test_init_runs_existing_cli_commands_in_order(compose: dict[str, Any]) -> None:
    script = unescape_compose(compose["configs"]["init"]["content"])
    calls = credit_calls(script)
    for call in calls:
        assert check_cli_call(call) is None, check_cli_call(call)
    steps = [" ".join(call[:2]) for call in calls]
    expected = ["db upgrade", "data generate", "data load", "train --profile", "keys create",
                "users add"]
    last_call = {step: index for index, step in enumerate(steps)}
    assert sorted(expected, key=last_call.__getitem__) == expected
    assert ["data", "load", "/data/kaggle"] in calls
