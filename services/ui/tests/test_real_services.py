"""The dashboard's logic against the real scoring and explanation services, run as processes
on a tiny registered model and a SQLite database of synthetic clients (slow)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.ui.tests.conftest import Process, free_port
from ui_service.api import decisions, explore
from ui_service.api.flows import Flows
from ui_service.api.peers import Services
from ui_service.settings import UISettings
from ui_service.views.decision import decision_html
from ui_service.views.reasons import reasons_view

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("ui-real")]
BIN = Path(sys.executable).parent
PASSWORD = "a long advisor password"


def _serve(service: str, env: dict[str, str], tmp: Path) -> Process:
    port = free_port()
    return Process([str(BIN / "credit"), "serve", service, "--port", str(port)], env,
                   tmp / f"{service}.log", f"http://127.0.0.1:{port}", ready="/readyz",
                   timeout=180)


@pytest.fixture
def real(sqlite_url: str, mlflow_registry: Any, tmp_path: Path) -> Iterator[tuple[Flows, list]]:
    from credit_core.auth import create_api_key, create_user
    from credit_core.db import get_engine
    from tests.support.fixtures import load_synthetic_clients

    vectors = load_synthetic_clients(sqlite_url)
    engine = get_engine(sqlite_url)
    key = create_api_key(engine, "ui-test", "service").key
    create_user(engine, "ada", PASSWORD, "advisor")
    env = {"DATABASE_URL": sqlite_url, "MLFLOW_TRACKING_URI": mlflow_registry.uri,
           "CREDIT_VAR_DIR": str(tmp_path / "var")}
    scoring = _serve("scoring", env, tmp_path)
    try:
        explain = _serve("explain", env, tmp_path)
    except Exception:
        scoring.stop()
        raise
    settings = UISettings(api_key=key, scoring_url=scoring.url, explain_url=explain.url,
                          monitoring_url="http://127.0.0.1:9", var_dir=tmp_path / "ui",
                          _env_file=None)  # type: ignore[call-arg]
    flows = Flows(Services(settings))
    try:
        yield flows, vectors.index.tolist()
    finally:
        flows.close()
        explain.stop()
        scoring.stop()


def test_the_advisor_flow_on_the_real_services(real: tuple[Flows, list]) -> None:
    flows, _ = real
    assert flows.services.login("ada", PASSWORD) == {"username": "ada", "role": "advisor"}
    assert flows.services.login("ada", "wrong password!!") is None
    found = explore.search(flows, "test", "", 5)
    assert found["problem"] is None and found["clients"]
    client_id = found["clients"][0]["client_id"]
    context = flows.open_client(str(client_id))
    assert context["score"]["client_id"] == client_id
    assert context.get("explanation"), context["problems"]
    assert "explain" not in context["problems"]
    assert "version" in decision_html(context, "en")
    plot, html = reasons_view(context["explanation"], context["problems"], "fr")
    assert plot is not None and "<table" in html
    names = [name for name, _ in explore.FeatureChoices(flows).get()]
    assert names
    assert explore.distributions(flows, context, names[0])["problem"] is None
    assert explore.monitoring_status(flows) == {"problem": "down"}
    final = "approved" if context["score"]["decision"] == "refused" else "refused"
    assert decisions.review(flows, context, final, "", "ada")["problem"] == "invalid"
    done = decisions.review(flows, context, final, "Documents checked by phone.", "ada")
    assert done.get("ok") and done["answer"]["override"] is True
    if context.get("application"):
        result = decisions.what_if(flows, context["application"], context["application"], True,
                                   context.get("client_id"))
        assert result["score"] is not None
        # Explain is up and the client known: nothing changed and the history kept, so the
        # simulation is the client's own score.
        assert context.get("client_id") is not None and result["scored_by"] == "explain"
        assert result["history_kept"]
        assert result["score"]["probability"] == pytest.approx(
            context["score"]["probability"], rel=1e-9)
