"""The images: hadolint-clean, buildable by any Docker engine (no BuildKit-only syntax), one
workspace package each from the frozen lock, non-root, a health check on the service's own
health route and port, its command, no secret, and base images that scripts/base-images.sh can
stand in for under the same names."""

from __future__ import annotations

import re
import subprocess
import tomllib
from typing import Any

import pytest

from credit_launcher.plan import MLFLOW_PORT, mlflow_argv, service_argv
from tests.deploy.code_facts import ALL_SERVICES, ROOT, require, service_facts, service_routes
from tests.deploy.files import BASE_DOCKERFILES, BIN, DOCKERFILES, dockerfile, last, stage

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|PGPASS", re.IGNORECASE)
PRODUCT_DOCKERFILES = sorted(set(DOCKERFILES.values()))
ALL_DOCKERFILES = [*PRODUCT_DOCKERFILES, *BASE_DOCKERFILES.values()]
#: Where each Python image's package lives (its pyproject.toml names the package).
PACKAGE_FOLDERS = {"pipeline": "pipeline", **{s: f"services/{s}" for s in ALL_SERVICES}}


def _build(compose: dict[str, Any], image: str) -> dict[str, Any]:
    service = "init" if image == "pipeline" else image
    return dict(compose["services"][service]["build"])


def test_every_dockerfile_is_listed() -> None:
    found = {str(path.relative_to(ROOT)) for pattern in ("**/Dockerfile", "**/*.Dockerfile")
             for path in ROOT.glob(pattern) if ".venv" not in path.parts}
    assert found == set(ALL_DOCKERFILES)


@pytest.mark.parametrize("path", ALL_DOCKERFILES)
def test_hadolint_finds_nothing(path: str) -> None:
    result = subprocess.run([str(BIN / "hadolint"), path], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", ALL_DOCKERFILES)
def test_the_classic_builder_can_build_it(path: str) -> None:
    """docker-compose 1.x and engines without BuildKit read only the classic syntax; a
    `# syntax=` line would also pull a frontend image from a registry."""
    text = (ROOT / path).read_text()
    assert not re.search(r"^#\s*syntax=", text, re.MULTILINE), "a BuildKit frontend"
    for instruction in dockerfile(path):
        flags = re.findall(r"--([a-z-]+)", instruction.arguments.split(" ", 1)[0])
        assert not {"mount", "link", "chmod", "network", "security"} & set(flags), instruction
        assert "<<" not in instruction.arguments or instruction.keyword != "RUN", "a heredoc"


@pytest.mark.parametrize("path", PRODUCT_DOCKERFILES)
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
    assert {".env", "**/*.env", "var", ".git", "**/secrets.env*"} <= set(ignored)


def test_build_certificates_stay_in_the_build_stages() -> None:
    """BUILD_CA_CERTS (a proxy's CAs) is declared by build stages only, never the final one."""
    for path in PRODUCT_DOCKERFILES:
        instructions = dockerfile(path)
        finals = [stage(instructions, None)]
        if path == "Dockerfile":
            finals += [stage(instructions, "job"), stage(instructions, "runtime")]
        for final in finals:
            assert not [i for i in final if "BUILD_CA_CERTS" in i.arguments], path


def _member_package(folder: str) -> str:
    return str(tomllib.loads((ROOT / folder / "pyproject.toml").read_text())["project"]["name"])


def test_dependencies_come_first_from_the_frozen_lock_for_one_package() -> None:
    builder = stage(dockerfile("Dockerfile"), "builder")
    syncs = [i for i, step in enumerate(builder) if step.keyword == "RUN" and "uv sync" in step.arguments]
    members = next(i for i, step in enumerate(builder)
                   if step.keyword == "COPY" and "/out/members" in step.arguments)
    assert len(syncs) == 2 and syncs[0] < members < syncs[1]
    for index in syncs:
        arguments = builder[index].arguments.split()
        assert {"--frozen", "--no-dev", "--no-editable", "--package", '"$PACKAGE"'} <= set(arguments)
    assert "--no-install-workspace" in builder[syncs[0]].arguments
    assert "--no-install-workspace" not in builder[syncs[1]].arguments


@pytest.mark.parametrize("image", PACKAGE_FOLDERS)
def test_compose_builds_each_package_from_the_root_dockerfile(compose, image: str) -> None:  # type: ignore[no-untyped-def]
    build = _build(compose, image)
    assert build["context"] == "." and build.get("dockerfile", "Dockerfile") == "Dockerfile"
    assert build["args"]["PACKAGE"] == _member_package(PACKAGE_FOLDERS[image])
    assert build.get("target", "service") == ("job" if image == "pipeline" else "service")


@pytest.mark.parametrize("service", ALL_SERVICES)
def test_port_health_check_and_command_are_the_services_own(compose, service: str) -> None:  # type: ignore[no-untyped-def]
    facts = require(service_facts(service), f"the {service} service's settings")
    arguments = _build(compose, service)["args"]
    assert int(arguments["PORT"]) == facts.port
    assert str(arguments["COMMAND"]).split() == service_argv(service, "0.0.0.0", facts.port)
    assert "/healthz" in require(service_routes(service), f"the {service} service's app")
    server = stage(dockerfile("Dockerfile"), "service")
    assert last(server, "EXPOSE").arguments == "${PORT}"
    assert "SERVICE_PORT=${PORT}" in last(server, "ENV").arguments
    assert "SERVICE_COMMAND=${COMMAND}" in last(server, "ENV").arguments
    check = " ".join(last(server, "HEALTHCHECK").exec_form())
    assert "http://127.0.0.1:{os.environ['SERVICE_PORT']}/healthz" in check
    assert last(server, "CMD").exec_form() == ["/bin/sh", "-c", "exec $SERVICE_COMMAND"]


def test_the_job_image_holds_the_migrations_and_serves_nothing() -> None:
    job = stage(dockerfile("Dockerfile"), "job")
    assert last(job, "HEALTHCHECK").arguments == "NONE"
    assert any(i.keyword == "COPY" and i.arguments == "db /app/db" for i in job)
    assert last(job, "CMD").exec_form() == ["credit", "--help"]


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
    check = " ".join(last(instructions, "HEALTHCHECK").exec_form())
    assert f"http://127.0.0.1:{MLFLOW_PORT}/health" in check


def test_mlflow_image_runs_the_locked_mlflow_and_psycopg() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}
    pins = dict(re.findall(r"^([a-z0-9-]+)==([^\s;]+)", (ROOT / "mlflow/requirements.txt").read_text(),
                           re.MULTILINE))
    for name in ("mlflow", "mlflow-skinny", "psycopg", "psycopg-binary"):
        assert pins[name] == locked[name], name


def _default(text: str, variable: str) -> set[str]:
    return set(re.findall(rf"{variable}(?::-|=)([^\s}}\"]+)", text))


@pytest.mark.parametrize("variable", BASE_DOCKERFILES)
def test_base_images_have_one_name_everywhere(rendered, variable: str) -> None:  # type: ignore[no-untyped-def]
    """The stand-in is tagged with the name the Dockerfiles, compose and the manifests use."""
    script = _default((ROOT / "scripts/base-images.sh").read_text(), variable)
    assert len(script) == 1
    assert _default((ROOT / "docker-compose.yml").read_text(), variable) == script
    if variable == "PYTHON_IMAGE":
        for path in PRODUCT_DOCKERFILES:
            assert _default((ROOT / path).read_text(), variable) == script, path
    else:
        (postgres,) = [c["image"] for o in rendered["dev"] if o["kind"] == "StatefulSet"
                       for c in o["spec"]["template"]["spec"]["containers"]
                       if c["image"].startswith("postgres")]
        assert {postgres} == script


def _options(healthcheck: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+)=(\S+)", healthcheck.split(" CMD ")[0]))


@pytest.mark.parametrize("service", [*ALL_SERVICES, "mlflow"])
def test_image_health_checks_match_composes(compose, service: str) -> None:  # type: ignore[no-untyped-def]
    """Same port, timing and command as compose's check; compose asks /readyz of the APIs."""
    path = DOCKERFILES[service]
    image = _options(last(stage(dockerfile(path), "service" if path == "Dockerfile" else None),
                          "HEALTHCHECK").arguments)
    ours = compose["services"][service]["healthcheck"]
    assert {key: str(ours[key.replace("-", "_")]) for key in image} == image
