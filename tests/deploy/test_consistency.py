"""Compose and the manifests say what the code says: each service's port (its settings'
default), health paths (its app's routes), variable names (its settings class, the CLI and the
code's own reads), and peer addresses that point at the right service and port."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from credit_core.settings import CoreSettings
from credit_launcher.plan import MLFLOW_PORT, UI_PEERS
from tests.deploy.code_facts import (
    ALL_SERVICES,
    API_SERVICES,
    ROOT,
    RUNTIME_VARIABLES,
    cli_envvars,
    code_environment_reads,
    mlflow_server_variables,
    product_variables,
    require,
    service_facts,
    service_routes,
    settings_variables,
)
from tests.deploy.files import (
    DOCKERFILES,
    OVERLAYS,
    compose_script,
    container_env_names,
    containers,
    dockerfile,
    find,
    one,
    pod_spec,
    shell_script,
)

PRODUCT_PREFIXES = ("CREDIT_", "SCORING_", "EXPLAIN_", "MONITORING_", "UI_")
#: The monitoring dashboard's peers (MONITORING_<PEER>_URL), by service.
MONITORING_PEERS = {"scoring": "MONITORING_SCORING_URL", "explain": "MONITORING_EXPLAIN_URL",
                    "ui": "MONITORING_UI_URL"}
POSTGRES_PORT = 5432


def _allowed(service: str) -> frozenset[str]:
    facts = require(service_facts(service), f"the {service} service's settings")
    return facts.variables | RUNTIME_VARIABLES | code_environment_reads()


def _port_of(service: str) -> int:
    if service == "mlflow":
        return MLFLOW_PORT
    return int(require(service_facts(service), f"the {service} service's settings").port)


def _k8s_server(objects: list[dict[str, Any]], service: str) -> dict[str, Any]:
    (workload,) = [w for w in find(objects, "Deployment") + find(objects, "StatefulSet")
                   if w["metadata"]["name"] == service]
    return dict(pod_spec(workload)["containers"][0])


def _k8s_env(container: dict[str, Any], objects: list[dict[str, Any]]) -> dict[str, str]:
    values = {e["name"]: e.get("value", "<secret>") for e in container.get("env", [])}
    for source in container.get("envFrom", []):
        values.update(one(objects, "ConfigMap", source["configMapRef"]["name"])["data"])
    return values


def _url_target(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname and parts.port, url
    return parts.hostname, parts.port


def _health_url(test: list[str]) -> tuple[int, str]:
    match = re.search(r"http://127\.0\.0\.1:(\d+)(/[a-z]+)", " ".join(test))
    assert match, test
    return int(match.group(1)), match.group(2)


# --- ports and health paths ---------------------------------------------------------------

@pytest.mark.parametrize("service", ALL_SERVICES)
def test_compose_publishes_and_checks_the_settings_port(compose, service: str) -> None:  # type: ignore[no-untyped-def]
    port = _port_of(service)
    definition = compose["services"][service]
    assert definition["ports"] == [f"127.0.0.1:{port}:{port}"]
    assert "command" not in definition and "entrypoint" not in definition, "the image's CMD runs"
    check_port, path = _health_url(definition["healthcheck"]["test"])
    assert check_port == port
    # The dashboard starts once every API is ready; nothing waits for the dashboard.
    assert path == ("/readyz" if service in API_SERVICES else "/healthz")
    assert path in require(service_routes(service), f"the {service} service's app")


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("service", ALL_SERVICES)
def test_manifests_use_the_settings_port_and_health_routes(rendered, overlay: str, service: str) -> None:  # type: ignore[no-untyped-def]
    objects = rendered[overlay]
    port = _port_of(service)
    container = _k8s_server(objects, service)
    assert "command" not in container and "args" not in container, "the image's CMD runs"
    assert container["ports"] == [{"name": "http", "containerPort": port}]
    assert [p["port"] for p in one(objects, "Service", service)["spec"]["ports"]] == [port]
    probes = {kind: container[kind]["httpGet"] for kind in
              ("startupProbe", "livenessProbe", "readinessProbe")}
    assert {kind: probe["path"] for kind, probe in probes.items()} == {
        "startupProbe": "/healthz", "livenessProbe": "/healthz", "readinessProbe": "/readyz"}
    assert {probe["port"] for probe in probes.values()} == {"http"}
    routes = require(service_routes(service), f"the {service} service's app")
    assert {"/healthz", "/readyz"} <= routes


def test_mlflow_and_postgres_ports_agree_everywhere(compose, rendered) -> None:  # type: ignore[no-untyped-def]
    assert compose["services"]["mlflow"]["ports"] == [f"127.0.0.1:{MLFLOW_PORT}:{MLFLOW_PORT}"]
    assert _health_url(compose["services"]["mlflow"]["healthcheck"]["test"]) == (MLFLOW_PORT,
                                                                                 "/health")
    for overlay in OVERLAYS:
        assert one(rendered[overlay], "Service", "mlflow")["spec"]["ports"][0]["port"] == MLFLOW_PORT
    assert one(rendered["dev"], "Service", "postgres")["spec"]["ports"][0]["port"] == POSTGRES_PORT


# --- addresses ----------------------------------------------------------------------------

def _check_platform_addresses(environment: dict[str, str], database_host: str | None) -> None:
    database = urlsplit(environment["DATABASE_URL"])
    assert database.scheme == "postgresql" and database.password is None, "password via libpq"
    if database_host:
        assert (database.hostname, database.port) == (database_host, POSTGRES_PORT)
    assert _url_target(environment["MLFLOW_TRACKING_URI"]) == ("mlflow", MLFLOW_PORT)


def test_compose_addresses_point_at_the_right_services(compose) -> None:  # type: ignore[no-untyped-def]
    services = compose["services"]
    for name in ("init", *API_SERVICES):
        environment = services[name]["environment"]
        _check_platform_addresses(environment, "postgres")
        assert environment["PGPASSFILE"].startswith("/run/credit/")
    for peers, client in ((UI_PEERS, "ui"), (MONITORING_PEERS, "monitoring")):
        for peer, variable in peers.items():
            url = services[client]["environment"][variable]
            assert _url_target(url) == (peer, _port_of(peer)), variable
    mlflow = urlsplit(services["mlflow"]["environment"]["MLFLOW_BACKEND_STORE_URI"])
    assert (mlflow.hostname, mlflow.port, mlflow.path) == ("postgres", POSTGRES_PORT, "/mlflow")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_manifest_addresses_point_at_the_right_services(rendered, overlay: str) -> None:  # type: ignore[no-untyped-def]
    objects = rendered[overlay]
    database_host = "postgres" if overlay == "dev" else None
    for service in API_SERVICES:
        container = _k8s_server(objects, service)
        _check_platform_addresses(_k8s_env(container, objects), database_host)
    for job in _pipeline_jobs(objects):
        for container in containers(job):
            _check_platform_addresses(_k8s_env(container, objects), database_host)
    for job in _mlflow_jobs(objects):
        for container in containers(job):
            assert _url_target(_k8s_env(container, objects)["MLFLOW_TRACKING_URI"]) == (
                "mlflow", MLFLOW_PORT)
    for peers, client in ((UI_PEERS, "ui"), (MONITORING_PEERS, "monitoring")):
        environment = _k8s_env(_k8s_server(objects, client), objects)
        for peer, variable in peers.items():
            assert _url_target(environment[variable]) == (peer, _port_of(peer)), variable


# --- variable names -----------------------------------------------------------------------

@pytest.mark.parametrize("service", ALL_SERVICES)
def test_compose_gives_each_service_only_variables_it_reads(compose, service: str) -> None:  # type: ignore[no-untyped-def]
    names = set(compose["services"][service]["environment"])
    assert names - _allowed(service) == set()


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("service", ALL_SERVICES)
def test_manifests_give_each_service_only_variables_it_reads(rendered, overlay: str, service: str) -> None:  # type: ignore[no-untyped-def]
    objects = rendered[overlay]
    names = container_env_names(_k8s_server(objects, service), objects)
    assert names - _allowed(service) == set()


def _images(job: dict[str, Any]) -> set[str]:
    """The images' names without registry and tag: pipeline, mlflow, ..."""
    return {str(container["image"]).split(":")[0].rsplit("/", 1)[-1]
            for container in containers(job)}


def _pipeline_jobs(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [job for job in find(objects, "Job") if _images(job) == {"pipeline"}]


def _mlflow_jobs(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The MLflow image's Jobs (the accounts job), every other Job runs the pipeline image."""
    jobs = [job for job in find(objects, "Job") if _images(job) == {"mlflow"}]
    assert len(jobs) + len(_pipeline_jobs(objects)) == len(find(objects, "Job"))
    return jobs


def _script_variables(script: str) -> set[str]:
    return set(re.findall(r"\$\{?([A-Z][A-Z0-9_]*)", script))


def _check_pipeline_variables(names: set[str], script: str) -> None:
    """The pipeline image's processes read the shared settings, the CLI's variables, and what
    their own script uses."""
    known = (settings_variables(CoreSettings) | cli_envvars() | RUNTIME_VARIABLES
             | code_environment_reads())
    unknown = {name for name in names - known if name not in _script_variables(script)}
    assert unknown == set(), f"variables nothing reads: {unknown}"


def test_compose_init_variables_are_read(compose) -> None:  # type: ignore[no-untyped-def]
    init = compose["services"]["init"]
    script = compose_script("init")
    _check_pipeline_variables(set(init["environment"]), script)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_job_variables_are_read(rendered, overlay: str) -> None:  # type: ignore[no-untyped-def]
    objects = rendered[overlay]
    for job in _pipeline_jobs(objects):
        for container in containers(job):
            _check_pipeline_variables(container_env_names(container, objects),
                                      shell_script(container))
    for job in _mlflow_jobs(objects):
        for container in containers(job):
            assert container_env_names(container, objects) - _users_job_variables() == set()


def _users_job_variables() -> set[str]:
    """What mlflow/provision_users.py reads (NAME and NAME_FILE for each secret), and MLflow's."""
    source = (ROOT / "mlflow" / "provision_users.py").read_text()
    secrets = set(re.findall(r'secret\(f?"([A-Z_{}]+)"\)', source))
    prefixes = re.findall(r'\("(MLFLOW_[A-Z]+)", "credit-', source)
    names = {name for name in secrets if "{" not in name}
    names |= {f"{prefix}_PASSWORD" for prefix in prefixes} | {f"{p}_USERNAME" for p in prefixes}
    names |= {f"{name}_FILE" for name in set(names)}
    names |= set(re.findall(r'environ\.get\("([A-Z_]+)"', source))
    return names | {"MLFLOW_TRACKING_URI", "MLFLOW_DISABLE_TELEMETRY"}


def test_compose_mlflow_users_variables_are_read(compose) -> None:  # type: ignore[no-untyped-def]
    service = compose["services"]["mlflow-users"]
    assert set(service["environment"]) - _users_job_variables() == set()
    assert service["entrypoint"] == ["python", "/opt/credit/provision_users.py"]
    assert _url_target(service["environment"]["MLFLOW_TRACKING_URI"]) == ("mlflow", MLFLOW_PORT)


def test_mlflow_variables_are_mlflows(compose, rendered) -> None:  # type: ignore[no-untyped-def]
    allowed = mlflow_server_variables() | RUNTIME_VARIABLES | {"AWS_ACCESS_KEY_ID",
                                                                "AWS_SECRET_ACCESS_KEY"}
    assert set(compose["services"]["mlflow"]["environment"]) - allowed == set()
    for overlay in OVERLAYS:
        container = _k8s_server(rendered[overlay], "mlflow")
        assert container_env_names(container, rendered[overlay]) - allowed == set()
    env = " ".join(i.arguments for i in dockerfile(DOCKERFILES["mlflow"]) if i.keyword == "ENV")
    assert set(re.findall(r"(MLFLOW_[A-Z_]+)=", env)) - allowed == set()


@pytest.mark.parametrize("name", DOCKERFILES)
def test_product_variables_set_by_images_exist(name: str) -> None:
    env = " ".join(i.arguments for i in dockerfile(DOCKERFILES[name]) if i.keyword == "ENV")
    names = set(re.findall(r"([A-Z][A-Z0-9_]*)=", env))
    ours = {n for n in names if n.startswith(PRODUCT_PREFIXES)}
    assert ours - product_variables() == set()
    if name in ALL_SERVICES:
        facts = require(service_facts(name), f"the {name} service's settings")
        prefix = str(facts.settings_class.model_config.get("env_prefix"))
        assert {n for n in ours if n.startswith(prefix)} <= facts.variables
