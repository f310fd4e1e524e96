"""The `credit` command line: bad arguments give a message and a non-zero exit, never a traceback."""

from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credit_core.settings import get_core_settings
from credit_pipeline import cli

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CREDIT_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    get_core_settings.cache_clear()
    cli._register_optional_commands()
    yield tmp_path / "var"
    get_core_settings.cache_clear()


def invoke(*args: str, **kwargs: object):  # type: ignore[no-untyped-def]
    return runner.invoke(cli.app, list(args), **kwargs)


def test_help_lists_the_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("data", "keys", "users", "db"):
        assert command in result.output


@pytest.mark.parametrize("args, fragment", [
    (("data", "generate", "--out", "x", "--rows", "5"), "--rows"),
    (("data", "generate", "--out", "x", "--seed", "-1"), "--seed"),
    (("data", "generate", "--rows", "1000"), "--out"),
    (("data", "generate", "--out", "x", "--rows", "many"), "--rows"),
    (("data", "frobnicate"), "frobnicate"),
])
def test_bad_arguments_exit_2_with_a_message(args: tuple[str, ...], fragment: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert fragment in result.output
    assert "Traceback" not in result.output


def test_validate_a_missing_folder_exits_1(tmp_path: Path) -> None:
    result = invoke("data", "validate", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert "nowhere" in result.output


def test_load_of_a_broken_folder_exits_1_and_loads_nothing(tmp_path: Path, isolated_var: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "application_train.csv").write_text("SK_ID_CURR,TARGET\n1,0\n")
    result = invoke("data", "load", str(folder))
    assert result.exit_code == 1
    assert "nothing was loaded" in result.output
    assert not (isolated_var / "credit.db").exists()


def test_keys_create_prints_the_key_once_and_refuses_bad_names() -> None:
    created = invoke("keys", "create", "partner-a")
    assert created.exit_code == 0 and created.stdout.startswith("ck_")
    again = invoke("keys", "create", "partner-a")
    assert again.exit_code == 1 and "already exists" in again.output
    bad = invoke("keys", "create", "drop table;")
    assert bad.exit_code == 1 and "invalid name" in bad.output
    role = invoke("keys", "create", "x", "--role", "god")
    assert role.exit_code == 1 and "invalid role" in role.output


def test_keys_revoke_unknown_exits_1() -> None:
    result = invoke("keys", "revoke", "nobody")
    assert result.exit_code == 1 and "no active API key" in result.output


def test_users_add_checks_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    short = invoke("users", "add", "alice", input="short\nshort\n")
    assert short.exit_code == 1 and "12 characters" in short.output
    ok = invoke("users", "add", "alice", "--role", "advisor",
                input="a long enough password\na long enough password\n")
    assert ok.exit_code == 0, ok.output
    assert "created" in ok.output


def test_users_unlock_clears_the_accounts_sign_in_delay() -> None:
    from credit_core.db import get_engine
    from credit_core.logins import LoginThrottle

    assert invoke("users", "unlock", "alice").exit_code == 1  # nothing to unlock
    engine = get_engine(get_core_settings().resolved_database_url)
    throttle = LoginThrottle(lambda: engine)
    for _ in range(8):
        throttle.failed("alice", "203.0.113.9")
    assert throttle.retry_after("alice", "192.0.2.1") > 0
    result = invoke("users", "unlock", "alice")
    assert result.exit_code == 0 and "unlocked" in result.output
    assert throttle.retry_after("alice", "192.0.2.1") == 0


def test_a_password_change_or_removal_ends_the_users_sessions() -> None:
    from credit_core.db import get_engine
    from credit_core.db.browser_sessions import open_session, session_active

    ok = invoke("users", "add", "bea", input="a long enough password\na long enough password\n")
    assert ok.exit_code == 0, ok.output
    engine = get_engine(get_core_settings().resolved_database_url)
    idle = timedelta(minutes=30)
    first = open_session(engine, "credit_ui_session", "bea", "advisor")
    changed = invoke("users", "password", "bea",
                     input="another long password\nanother long password\n")
    assert changed.exit_code == 0, changed.output
    assert not session_active(engine, "credit_ui_session", first, idle)
    second = open_session(engine, "credit_ui_session", "bea", "advisor")
    assert invoke("users", "remove", "bea").exit_code == 0
    assert not session_active(engine, "credit_ui_session", second, idle)
    assert invoke("users", "remove", "bea").exit_code == 1


def test_load_a_valid_folder_then_reload_replaces(tmp_path: Path, isolated_var: Path) -> None:
    from sqlalchemy import func, select

    from credit_core.db import applications, client_features, get_engine
    from tests.support.paths import pipeline_tests

    tiny = pipeline_tests("data/tiny_dataset.py")
    folder = tiny.write_tiny_dataset(tmp_path / "tiny")
    first = invoke("data", "load", str(folder))
    assert first.exit_code == 0, first.output
    assert "Loaded" in first.output and "clients" in first.output
    engine = get_engine(f"sqlite:///{isolated_var / 'credit.db'}")
    with engine.connect() as connection:
        clients = connection.execute(select(func.count()).select_from(client_features)).scalar_one()
        apps = connection.execute(select(func.count()).select_from(applications)).scalar_one()
    assert clients == apps > 0
    again = invoke("data", "load", str(folder))
    assert again.exit_code == 0, again.output
    with engine.connect() as connection:
        assert connection.execute(
            select(func.count()).select_from(client_features)).scalar_one() == clients
