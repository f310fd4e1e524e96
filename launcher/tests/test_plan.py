"""What `credit serve all` plans to run: the container commands, the start order, the
dashboard's peers, and what it skips."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from credit_core.settings import CoreSettings
from credit_core.topology import MLFLOW, SERVICES
from credit_launcher import plan


@dataclass
class Listening:
    host: str
    port: int


def _settings(tmp_path: Path, tracking_uri: str | None = None) -> CoreSettings:
    return CoreSettings(CREDIT_VAR_DIR=tmp_path / "var", MLFLOW_TRACKING_URI=tracking_uri,
                        _env_file=None)


@pytest.fixture
def every_service_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each service's settings answer with its topology port (no service module is read)."""
    monkeypatch.setattr(plan, "installed", lambda module: True)
    monkeypatch.setattr(plan, "service_settings",
                        lambda name: Listening("127.0.0.1", SERVICES[name].port))
    for variable in plan.UI_PEERS.values():
        monkeypatch.delenv(variable, raising=False)


def test_the_modules_of_a_service_come_from_the_topology() -> None:
    assert plan.service_modules("scoring") == ("scoring_service.main", "scoring_service.settings")
    assert plan.service_modules("ui") == ("ui_service.main", "ui_service.settings")


def test_the_container_commands() -> None:
    assert plan.service_argv("explain", "0.0.0.0", 9002) == [
        "uvicorn", "explain_service.main:create_app", "--factory", "--host", "0.0.0.0",
        "--port", "9002", "--timeout-graceful-shutdown", "15"]
    assert plan.service_argv("ui", "0.0.0.0", 9000) == ["python", "-m", "ui_service.main"]
    assert plan.mlflow_argv("sqlite:///m.db", "/a", "127.0.0.1", 5001)[:2] == ["mlflow", "server"]


def test_the_dashboard_peers_are_the_apis() -> None:
    assert plan.UI_PEERS == {"scoring": "UI_SCORING_URL", "explain": "UI_EXPLAIN_URL",
                             "monitoring": "UI_MONITORING_URL"}


@pytest.mark.usefixtures("every_service_installed")
def test_mlflow_first_then_the_services_in_topology_order(tmp_path: Path) -> None:
    children = plan.plan_children(_settings(tmp_path), None, True, MLFLOW.port)
    assert [child.name for child in children] == ["mlflow", *SERVICES]
    mlflow, *services = children
    assert (mlflow.port, mlflow.ready_path) == (MLFLOW.port, "/health")
    assert [child.port for child in services] == [part.port for part in SERVICES.values()]
    dashboard = children[-1]
    assert dashboard.env == {variable: f"http://127.0.0.1:{SERVICES[peer].port}"
                             for peer, variable in plan.UI_PEERS.items()}
    assert [child.show_path for child in services] == ["/docs"] * 3 + [""]


@pytest.mark.usefixtures("every_service_installed")
def test_a_host_binds_every_child_and_the_environment_keeps_its_peers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UI_SCORING_URL", "http://elsewhere:1")
    children = plan.plan_children(_settings(tmp_path), "0.0.0.0", True, 5999)
    assert {child.host for child in children} == {"0.0.0.0"}
    dashboard = children[-1]
    assert "UI_SCORING_URL" not in dashboard.env
    assert dashboard.env["UI_HOST"] == "0.0.0.0"
    assert dashboard.env["UI_EXPLAIN_URL"] == f"http://127.0.0.1:{SERVICES['explain'].port}"


@pytest.mark.usefixtures("every_service_installed")
def test_an_mlflow_server_is_used_not_started(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    server = f"http://mlflow:{MLFLOW.port}"
    children = plan.plan_children(_settings(tmp_path, server), None, True, MLFLOW.port)
    assert "mlflow" not in [child.name for child in children]
    assert f"using the server at {server}" in capsys.readouterr().out


def test_a_missing_service_is_skipped_and_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(plan, "installed", lambda module: not module.startswith("explain"))
    monkeypatch.setattr(plan, "service_settings",
                        lambda name: Listening("127.0.0.1", SERVICES[name].port))
    children = plan.plan_children(_settings(tmp_path), None, False, MLFLOW.port)
    assert [child.name for child in children] == ["scoring", "monitoring", "ui"]
    assert "explain: not installed in this environment, skipped." in capsys.readouterr().out
    assert "UI_EXPLAIN_URL" not in children[-1].env


def test_installed_looks_without_importing() -> None:
    assert plan.installed("credit_core.topology")
    assert not plan.installed("no_such_package.settings")
