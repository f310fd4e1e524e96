"""`credit serve SERVICE|all` and how the launcher joins the `credit` command line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from credit_core.topology import SERVICES
from credit_launcher import serve
from credit_launcher.commands import register

runner = CliRunner()


@dataclass
class Listening:
    host: str
    port: int


@pytest.fixture
def app() -> typer.Typer:
    """A bare `credit`-like app with only the launcher's commands."""
    fresh = typer.Typer(no_args_is_help=True)
    fresh.callback()(lambda: None)  # a group, as `credit` is, not a single command
    register(fresh)
    return fresh


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """What serve would start, recorded instead (and no signal handler in the test process)."""
    recorded: list[tuple[str, Any]] = []
    monkeypatch.setattr(serve, "_exit_cleanly_after_shutdown", lambda: None)
    monkeypatch.setattr(serve, "serve_all_command",
                        lambda **options: recorded.append(("all", options)))
    monkeypatch.setattr("uvicorn.run", lambda app, **options: recorded.append((app, options)))
    monkeypatch.setattr(serve, "service_settings", lambda name: Listening("127.0.0.1", 1234))
    return recorded


def test_the_choices_are_the_topology_and_all() -> None:
    assert [member.value for member in serve.Service] == [*SERVICES, "all"]


def test_the_launcher_declares_its_commands_for_credit() -> None:
    declared = [entry for entry in entry_points(group="credit.commands")
                if entry.value == "credit_launcher.commands:register"]
    assert len(declared) == 1
    assert declared[0].load() is register


def test_serve_and_serve_all_are_registered(app: typer.Typer) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "serve-all" in result.output and "serve " in result.output
    help_text = runner.invoke(app, ["serve", "--help"]).output
    assert all(name in help_text for name in (*SERVICES, "all"))


def test_an_unknown_service_exits_2(app: typer.Typer) -> None:
    result = runner.invoke(app, ["serve", "billing"])
    assert result.exit_code == 2
    assert "billing" in result.output


def test_an_api_runs_its_app_factory_under_uvicorn(app: typer.Typer,
                                                   calls: list[tuple[str, Any]]) -> None:
    result = runner.invoke(app, ["serve", "monitoring", "--port", "9003"])
    assert result.exit_code == 0, result.output
    (factory, options), = calls
    assert factory == SERVICES["monitoring"].app_factory
    assert options == {"factory": True, "host": "127.0.0.1", "port": 9003, "log_config": None,
                       "timeout_graceful_shutdown": 15}


def test_all_runs_the_supervisor_with_the_host(app: typer.Typer,
                                               calls: list[tuple[str, Any]]) -> None:
    result = runner.invoke(app, ["serve", "all", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert calls == [("all", {"host": "0.0.0.0"})]


def test_the_dashboard_runs_its_main_with_host_and_port(
        app: typer.Typer, calls: list[tuple[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("UI_HOST", "UI_PORT"):
        monkeypatch.delenv(variable, raising=False)  # restored after the test
    seen: dict[str, str] = {}

    def dashboard_main() -> None:
        import os

        seen.update(host=os.environ["UI_HOST"], port=os.environ["UI_PORT"])

    def find_main(module: str) -> Callable[[], None]:
        seen["module"] = module
        return dashboard_main

    # Not the real dashboard: importing Gradio takes seconds and proves nothing here.
    monkeypatch.setattr(serve, "_dashboard_main", find_main)
    result = runner.invoke(app, ["serve", "ui", "--host", "0.0.0.0", "--port", "9860"])
    assert result.exit_code == 0, result.output
    assert seen == {"module": "ui_service.main", "host": "0.0.0.0", "port": "9860"}


@pytest.mark.parametrize("name, message", [
    ("scoring", "the scoring service is not installed in this environment"),
    ("ui", "the dashboard (ui_service) is not installed in this environment"),
])
def test_a_service_not_installed_exits_1_with_a_message(
        app: typer.Typer, calls: list[tuple[str, Any]], monkeypatch: pytest.MonkeyPatch,
        name: str, message: str) -> None:
    monkeypatch.setattr(serve, "installed", lambda module: False)
    result = runner.invoke(app, ["serve", name])
    assert result.exit_code == 1
    assert message in result.output
    assert calls == []


def test_python_m_credit_launcher_is_serve_all() -> None:
    result = subprocess.run([sys.executable, "-m", "credit_launcher", "--help"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "--mlflow-port" in result.stdout and "--ready-timeout" in result.stdout
