"""The services in-process for the security tests: scoring, explain, monitoring and the dashboard.

One registry holds a model version with everything training attaches (bundle, importance,
drift reference), so that the three APIs serve every route. Each module gets its own database
(SQLite, and PostgreSQL where a test asks for ``security_db``) with the 300 synthetic clients
and one API key per role, plus a revoked admin key; the apps are built once per module with the
factories the services use (``create_app(settings)``), their lifespan started by TestClient.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select

from credit_core.auth import API_KEY_ROLES, create_api_key, revoke_api_key
from credit_core.db import decision_reviews, get_engine
from credit_core.db.tables import metadata
from credit_core.topology import SERVICES
from tests.support.fixtures import Registry, load_synthetic_clients

#: The tables whose rows must never change under a refused request.
WATCHED_TABLES = ("decisions", "applications", "client_features", "api_keys", "users",
                  "drift_runs", "outcomes", "decision_reviews")
#: Limits high enough that fuzzing never meets the rate limiter (it has its own test).
UNLIMITED = {"rate_limit_per_minute": 10_000_000, "rate_limit_burst": 1_000_000}
REVOKED = "revoked"


@dataclass
class SecurityDatabase:
    """A loaded database: its URL, one key per role (plus ``revoked``), the client ids."""

    url: str
    kind: str
    keys: dict[str, str]
    client_ids: list[int]
    decision_ids: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rows per watched table (a dropped table fails the comparison loudly)."""
        assert decision_reviews.name in metadata.tables  # the advisors' reviews are watched too
        engine = get_engine(self.url)
        present = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            return {name: (int(connection.execute(select(func.count()).select_from(
                metadata.tables[name])).scalar_one()) if name in present else -1)
                for name in WATCHED_TABLES}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def load_database(url: str, kind: str) -> SecurityDatabase:
    """Migrate and load ``url``: clients, a key per role, a revoked admin key, a user."""
    from credit_core.auth import create_user

    vectors = load_synthetic_clients(url)
    engine = get_engine(url)
    keys = {role: create_api_key(engine, f"sec-{role}", role).key for role in API_KEY_ROLES}
    keys[REVOKED] = create_api_key(engine, "sec-revoked", "admin").key
    assert revoke_api_key(engine, "sec-revoked")
    create_user(engine, "ada", "correct horse battery", "advisor")
    return SecurityDatabase(url, kind, keys, vectors.index.tolist())


@pytest.fixture(scope="session")
def security_registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """credit-default@champion: a model with importance and a drift reference attached, which
    scoring, explain and monitoring all accept."""
    from services.explain.tests.rich_model import register_staged, stage_version, train_rich

    workdir = tmp_path_factory.mktemp("security-mlflow")
    registry = Registry(f"sqlite:///{workdir / 'mlflow.db'}", "credit-default", workdir)
    bundle, reference = train_rich(rows=1500)
    staged = stage_version(bundle, reference, workdir)
    registry.versions.append(register_staged(staged, registry.uri, registry.name))
    return registry


@pytest.fixture(scope="session")
def security_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One download of the version per session, shared by the three services."""
    return tmp_path_factory.mktemp("security-model-cache")


def _sqlite(tmp_path_factory: pytest.TempPathFactory) -> SecurityDatabase:
    url = f"sqlite:///{tmp_path_factory.mktemp('security-db') / 'credit.db'}"
    return load_database(url, "sqlite")


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> SecurityDatabase:
    """A loaded SQLite database for the module (tests whose subject is not the engine)."""
    return _sqlite(tmp_path_factory)


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def security_db(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> SecurityDatabase:
    """A loaded database for the module, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return _sqlite(tmp_path_factory)
    make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
    return load_database(make(), "postgres")


def service_settings(service: str, db: SecurityDatabase, registry: Registry, cache: Path,
                     workdir: Path, **overrides: Any) -> Any:
    """The service's settings on ``db`` and ``registry`` (no reload loop, no schedule)."""
    values: dict[str, Any] = {
        "DATABASE_URL": db.url, "MLFLOW_TRACKING_URI": registry.uri,
        "CREDIT_VAR_DIR": workdir / "var", "reload_interval_seconds": 0,
        "model_cache_dir": cache, "startup_database_wait_seconds": 1, "log_level": "WARNING",
        **UNLIMITED,
    }
    if service == "scoring":
        from scoring_service.settings import ScoringSettings as settings_class
    elif service == "explain":
        from explain_service.settings import ExplainSettings as settings_class  # type: ignore[assignment]
    else:
        from monitoring_service.settings import MonitoringSettings as settings_class  # type: ignore[assignment]
        values.update({"render_reports": False, "scoring_url": "http://127.0.0.1:9",
                       "explain_url": "http://127.0.0.1:9", "ui_url": "http://127.0.0.1:9",
                       "peer_timeout_seconds": 0.5})
    values.update(overrides)
    return settings_class(**values)


def create_service_app(service: str, settings: Any) -> Any:
    """The service's app from its own factory."""
    if service == "scoring":
        from scoring_service.main import create_app
    elif service == "explain":
        from explain_service.main import create_app  # type: ignore[assignment]
    else:
        from monitoring_service.main import create_app  # type: ignore[assignment]
    return create_app(settings)


ServiceFactory = Callable[..., TestClient]


@pytest.fixture(scope="module")
def start_service(security_registry: Registry, security_model_cache: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceFactory]:
    """Starts a service on a database (lifespan run); all are stopped at the module's end."""
    started: list[TestClient] = []

    def start(service: str, db: SecurityDatabase, raise_server_exceptions: bool = False,
              **overrides: Any) -> TestClient:
        workdir = tmp_path_factory.mktemp(f"security-{service}")
        settings = service_settings(service, db, security_registry, security_model_cache,
                                    workdir, **overrides)
        # A 500 is answered (and then asserted on), not raised inside the test client.
        client = TestClient(create_service_app(service, settings), follow_redirects=False,
                            raise_server_exceptions=raise_server_exceptions)
        client.__enter__()
        started.append(client)
        return client

    yield start
    for client in reversed(started):
        client.__exit__(None, None, None)


def forwarding_transport(clients: dict[str, TestClient]) -> httpx.MockTransport:
    """A transport for the dashboard's httpx clients that answers from the in-process apps,
    chosen by the peer URL's port (the dashboard's defaults: the topology's ports)."""
    by_port = {SERVICES[name].port: name for name in ("scoring", "explain", "monitoring")}

    def handle(request: httpx.Request) -> httpx.Response:
        client = clients[by_port[request.url.port or 80]]
        answer = client.request(request.method, request.url.raw_path.decode("ascii"),
                                content=request.content, headers=dict(request.headers))
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    return httpx.MockTransport(handle)


def start_dashboard(tmp_path: Path, service_key: str, transport: httpx.BaseTransport,
                    **overrides: Any) -> TestClient:
    """The dashboard app (not entered: the caller uses ``with``)."""
    from ui_service.api.peers import Services
    from ui_service.app import create_app
    from ui_service.settings import UISettings

    settings = UISettings(api_key=service_key, var_dir=tmp_path / "var",  # type: ignore[call-arg]
                          _env_file=None, **overrides)
    return TestClient(create_app(settings, Services(settings, transport=transport)),
                      follow_redirects=False)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The fuzzing figures (cases per service), also when the tests ran on xdist workers."""
    for report in [*terminalreporter.stats.get("passed", []),
                   *terminalreporter.stats.get("failed", [])]:
        for name, value in getattr(report, "user_properties", ()):
            if name == "fuzz_cases" and report.when == "call":
                terminalreporter.write_line(f"schemathesis {value}")
