"""Helpers of the browser tests: sign in, wait for the dashboard, keyboard moves, axe-core."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import axe_playwright_python

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
BLOCKING = ("serious", "critical")


def sign_in(page: Any, base: str, username: str = "ada", password: str = "correct horse") -> None:
    page.goto(base + "/app/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    wait_ready(page)


def wait_ready(page: Any) -> None:
    """The dashboard is loaded: the applicant list is filled."""
    page.wait_for_selector("#results input[type=radio]", timeout=60_000)


def wait_decision(page: Any, client_id: int | str) -> None:
    """The decision and the reasons table of ``client_id`` are on screen."""
    page.wait_for_function(
        "(id) => { const s = document.querySelector('#decision .ui-subject');"
        " return s && s.textContent.includes(id) && document.querySelector('#decision-text')"
        " && document.querySelector('#reasons-table'); }", arg=str(client_id), timeout=20_000)


def wait_idle(page: Any, seconds: float = 0.3) -> None:
    """No Gradio event pending (its progress markers gone), then a short settle."""
    page.wait_for_function("() => !document.querySelector('.progress-text, .eta-bar')",
                           timeout=20_000)
    time.sleep(seconds)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical WCAG violations axe-core finds on the page as it is now."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, "
        "resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in result["violations"] if v["impact"] in BLOCKING]


def focused(page: Any) -> dict[str, Any]:
    """What has the focus, and whether its focus is visible (outline or ring)."""
    return page.evaluate(
        "() => { const e = document.activeElement; if (!e) return {};"
        " const s = getComputedStyle(e); const box = e.closest('label, button, [role=tab]');"
        " const ring = (x) => x && ((getComputedStyle(x).outlineStyle !== 'none' &&"
        " parseFloat(getComputedStyle(x).outlineWidth) > 0) ||"
        " getComputedStyle(x).boxShadow !== 'none');"
        " return {tag: e.tagName, id: e.id, type: e.type || '', text: (e.innerText ||"
        " e.value || '').slice(0, 60), inside: (e.closest('[id]') || {}).id || '',"
        " visible: ring(e) || ring(box)}; }")


def tab_until(page: Any, condition: str, limit: int = 120, back: bool = False) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until ``condition`` (JS on document.activeElement) holds;
    every element passed on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        state = focused(page)
        assert state.get("visible"), f"focus not visible on {state}"
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!({condition}); }}"):
            return state
    raise AssertionError(f"never reached {condition} with the keyboard")
