"""The waterfall image: PNG and SVG with a text alternative; accessible colours."""

from __future__ import annotations

import base64

import pytest

from credit_core.contrast import contrast_ratio
from explain_service.rendering.chart import APPROVAL_COLOUR, BACKGROUND, REFUSAL_COLOUR

from ..conftest import bearer


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """The database engine does not matter to these tests: SQLite only keeps the run short."""
    return sqlite_url


def test_colours_contrast_with_the_background_and_each_other() -> None:
    assert contrast_ratio(REFUSAL_COLOUR, BACKGROUND) >= 3.0
    assert contrast_ratio(APPROVAL_COLOUR, BACKGROUND) >= 3.0
    assert contrast_ratio("#000000", "#FFFFFF") == 21.0
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == 1.0


def test_png_svg_and_embedded_json(client, service_db, constructed) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["service"])
    body = {"client_id": constructed["heavy"], "waterfall_steps": 5}
    png = client.post("/v1/explanations/image", json=body, headers=headers)
    assert png.status_code == 200, png.text
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    alt = png.headers["x-alt-text"]
    assert alt.startswith("Waterfall chart") and "threshold" in alt and "refused" in alt
    assert "Credit amount / annual income" in alt
    svg = client.post("/v1/explanations/image", json=body | {"format": "svg", "language": "fr"},
                      headers=headers)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    text = svg.content.decode("utf-8")
    assert 'role="img"' in text and "<title" in text and "Graphique en cascade" in text
    assert svg.headers["content-language"] == "fr"
    embedded = client.post("/v1/explanations/image", json=body | {"embed": True},
                           headers=headers).json()
    assert embedded["media_type"] == "image/png" and embedded["model"]["version"] == "2"
    assert base64.b64decode(embedded["image_base64"]).startswith(b"\x89PNG")
    assert embedded["alt_text"]["fr"].startswith("Graphique en cascade")
    assert "−" in embedded["alt_text"]["en"] or "+" in embedded["alt_text"]["en"]
