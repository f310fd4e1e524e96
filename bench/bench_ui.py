"""Dashboard benchmark: start-up time, and "choose an applicant -> score and reasons on screen"
in headless Chromium (Debian's /usr/bin/chromium), p50/p95 over N choices.

Against running services (the dashboard is started here, so its start-up is timed), by default
at their local addresses (credit_core.topology; --scoring-url, --explain-url, --monitoring-url):
    uv run python bench/bench_ui.py \\
        --api-key-file var/secrets/ui-api-key --username ada --password '...' --runs 40
Against a dashboard already running (no start-up figure): --url URL (e.g. the local dashboard)
Self-contained, over the fake peers of the dashboard's tests: --fake-peers
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from credit_core.topology import local_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.ui.tests.browser import sign_in, wait_decision, wait_idle
from services.ui.tests.conftest import CHROMIUM, CHROMIUM_ARGS

FAKE_KEY = "ck_uitest00_" + "s" * 32


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, timeout: float = 120.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _dashboard(options: argparse.Namespace, logs: Path) -> tuple[str, float, list]:
    """Start the dashboard (its container command); return its URL and start-up seconds."""
    children = []
    if options.fake_peers:
        port = _port()
        children.append(_start([sys.executable, "services/ui/tests/fakes.py", "--port",
                                str(port)], {}, logs / "peers.log"))
        _wait(f"http://127.0.0.1:{port}/healthz")
        peers = {name: f"http://127.0.0.1:{port}" for name in ("scoring", "explain", "monitoring")}
        key = {"UI_API_KEY": FAKE_KEY}
    else:
        peers = {"scoring": options.scoring_url, "explain": options.explain_url,
                 "monitoring": options.monitoring_url}
        key = ({"UI_API_KEY_FILE": options.api_key_file} if options.api_key_file
               else {"UI_API_KEY": options.api_key or os.environ.get("UI_API_KEY", "")})
    port = _port()
    env = {"UI_PORT": str(port), "UI_HOST": "127.0.0.1", "GRADIO_ANALYTICS_ENABLED": "False",
           **{f"UI_{name.upper()}_URL": url for name, url in peers.items()}, **key}
    started = time.perf_counter()
    children.append(_start([sys.executable, "-m", "ui_service.main"], env, logs / "ui.log"))
    _wait(f"http://127.0.0.1:{port}/healthz")
    return f"http://127.0.0.1:{port}", time.perf_counter() - started, children


def _measure(url: str, options: argparse.Namespace) -> tuple[list[float], float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        started = time.perf_counter()
        sign_in(page, url, options.username, options.password)
        first_screen = time.perf_counter() - started
        wait_idle(page)
        labels = page.locator("#results label")
        ids = [labels.nth(i).inner_text().split()[0] for i in range(labels.count())]
        timings = []
        for run in range(options.runs + 1):  # the first choice (warm-up) is not counted
            client_id = ids[run % len(ids)]
            if run and ids[(run - 1) % len(ids)] == client_id:
                continue
            clicked = time.perf_counter()
            page.locator("#results label", has_text=client_id).first.click()
            wait_decision(page, client_id)
            elapsed = time.perf_counter() - clicked
            if run:
                timings.append(elapsed)
            wait_idle(page, 0.2)  # the follow-up charts finish before the next choice
        browser.close()
    return timings, first_screen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a dashboard already running (start-up not measured)")
    parser.add_argument("--scoring-url", default=local_url("scoring"))
    parser.add_argument("--explain-url", default=local_url("explain"))
    parser.add_argument("--monitoring-url", default=local_url("monitoring"))
    parser.add_argument("--api-key-file")
    parser.add_argument("--api-key")
    parser.add_argument("--fake-peers", action="store_true")
    parser.add_argument("--username", default="ada")
    parser.add_argument("--password", default="correct horse")
    parser.add_argument("--runs", type=int, default=40)
    options = parser.parse_args()
    logs = ROOT / "var" / "bench-ui"
    logs.mkdir(parents=True, exist_ok=True)
    children: list = []
    startup = None
    try:
        if options.url:
            url = options.url.rstrip("/")
        else:
            url, startup, children = _dashboard(options, logs)
        timings, first_screen = _measure(url, options)
    finally:
        for child in children:
            child.terminate()
            child.wait(15)
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1)]
    print(f"load average (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if startup is not None:
        print(f"dashboard start-up (process start -> /healthz 200): {startup:.2f} s (goal <= 10 s)")
    print(f"sign-in -> applicant list on screen: {first_screen:.2f} s")
    print(f"choose an applicant -> score and reasons on screen, {len(timings)} runs: "
          f"p50 {statistics.median(timings):.3f} s, p95 {p95:.3f} s, max {ordered[-1]:.3f} s "
          f"(goal p95 <= 1 s)")


if __name__ == "__main__":
    main()
