"""The ops dashboard page: what it shows, its text alternatives, language and contrast."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from fastapi.testclient import TestClient

from monitoring_service.dashboard import charts
from monitoring_service.main import create_app

from .conftest import as_csv, batch, bearer, insert_decisions, sqlite_service_db, upload


@pytest.fixture
def service_db(sqlite_url):  # type: ignore[no-untyped-def]
    return sqlite_service_db(sqlite_url)


class _Ready(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"status": "ready"}'
        self.send_response(200 if self.path == "/readyz" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass


@pytest.fixture
def ready_peer() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Ready)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_dashboard_shows_drift_predictions_performance_and_services(
        make_settings, service_db, ready_peer) -> None:  # type: ignore[no-untyped-def]
    ops = bearer(service_db.keys["ops"])
    with TestClient(create_app(make_settings(scoring_url=ready_peer))) as client:
        empty = client.get("/dashboard", headers=ops)
        assert empty.status_code == 200 and "No drift run yet" in empty.text
        upload(client, service_db.keys["ops"], as_csv(batch(1500, seed=7)))
        upload(client, service_db.keys["ops"], as_csv(batch(1500, seed=8, shift=True)))
        monday = datetime.fromisocalendar(2026, 40, 1).replace(tzinfo=UTC)
        insert_decisions(service_db.url, service_db.features.iloc[:4], [monday] * 4,
                         [0.05, 0.3, 0.1, 0.6], client_ids=[1, 2, 3, 4])
        client.post("/v1/outcomes", headers=ops, json={"outcomes": [
            {"client_id": i, "observed_default": y} for i, y in [(1, 0), (2, 1), (3, 1), (4, 0)]]})
        page = client.get("/dashboard", headers=ops)
    html = page.text
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert '<html lang="en">' in html and "<script" not in html
    for heading in ("Services", "Data drift", "Drift share over time",
                    "Top drifted columns with their importance", "Prediction drift",
                    "Approval rate over time", "Realised performance"):
        assert heading in html, heading
    assert "data set drift" in html and "EXT_SOURCE_2" in html and "2026-W40" in html
    # Every chart is an image with a title and a description, and its figures as a table.
    charts_found = re.findall(r'<svg role="img" aria-labelledby="(chart\d+t) (chart\d+d)"', html)
    assert len(charts_found) == 5
    for title, description in charts_found:
        assert f'<title id="{title}">' in html and f'<desc id="{description}">' in html
    assert html.count("<details><summary>") >= 5
    scoring_row = re.search(r"scoring</th><td><span class=\"(\w+)\">([^<]+)", html)
    explain_row = re.search(r"explain</th><td><span class=\"(\w+)\">([^<]+)", html)
    assert scoring_row and scoring_row.groups() == ("good", "ready")
    assert explain_row and explain_row.groups() == ("bad", "down")


def _luminance(color: str) -> float:
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("color", [charts.CURRENT, charts.REFERENCE, charts.DRIFT, charts.OK,
                                   charts.THRESHOLD, "#111827", "#1e3a8a", "#4b5563"])
def test_colours_keep_wcag_aa_contrast_on_white(color: str) -> None:
    assert (1.05) / (_luminance(color) + 0.05) >= 4.5
