"""Fixtures of the dashboard's tests: settings, fake peers (in memory or as a process), the
dashboard as a process, and headless Chromium (Debian's, driven by Playwright).

Browser tests are marked ``browser``. When /usr/bin/chromium is missing they run
scripts/install-browser.sh; if that fails they fail with the reason (never a silent skip).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from services.ui.tests.fakes import KEY, Peers
from ui_service.api.flows import Flows
from ui_service.api.peers import Services
from ui_service.settings import UISettings

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the dashboard in headless Chromium "
                                       "(Debian's /usr/bin/chromium)")


@pytest.fixture
def settings(tmp_path: Path) -> UISettings:
    return UISettings(api_key=KEY, var_dir=tmp_path / "var", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def peers() -> Peers:
    return Peers()


@pytest.fixture
def flows(settings: UISettings, peers: Peers) -> Iterator[Flows]:
    """The dashboard's flows over in-memory fake peers (httpx.MockTransport)."""
    flows = Flows(Services(settings, transport=peers.transport()))
    yield flows
    flows.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """A child process in its own group, with its log; stopped by its own pid."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path, url: str,
                 ready: str = "/healthz", timeout: float = 60) -> None:
        self.url, self.log = url, log
        handle = log.open("w")
        self.popen = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env},
                                      stdout=handle, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        self.started = time.monotonic()
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{args} exited:\n{log.read_text()}")
            try:
                if httpx.get(url + ready, timeout=2).status_code == 200:
                    self.ready_after = time.monotonic() - self.started
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"{args} did not answer in {timeout} s:\n{log.read_text()}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)


def start_peers(tmp: Path, down: tuple[str, ...] = ()) -> Process:
    port = free_port()
    args = [sys.executable, str(ROOT / "services/ui/tests/fakes.py"), "--port", str(port)]
    for name in down:
        args += ["--down", name]
    return Process(args, {}, tmp / f"peers-{port}.log", f"http://127.0.0.1:{port}")


def start_dashboard(tmp: Path, peers_url: str, explain_url: str | None = None,
                    **extra: str) -> Process:
    port = free_port()
    env = {"UI_PORT": str(port), "UI_HOST": "127.0.0.1", "UI_API_KEY": KEY,
           "UI_SCORING_URL": peers_url, "UI_EXPLAIN_URL": explain_url or peers_url,
           "UI_MONITORING_URL": peers_url, "CREDIT_VAR_DIR": str(tmp / "var"),
           "GRADIO_ANALYTICS_ENABLED": "False", **extra}
    return Process([sys.executable, "-m", "ui_service.main"], env, tmp / f"ui-{port}.log",
                   f"http://127.0.0.1:{port}")


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    """The dashboard as a process (its container command) over fake peers as a process."""
    tmp = tmp_path_factory.mktemp("dashboard")
    peers = start_peers(tmp)
    ui = start_dashboard(tmp, peers.url)
    yield ui
    ui.stop()
    peers.stop()


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    script = ROOT / "scripts" / "install-browser.sh"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not CHROMIUM.exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests and "
                    f"{script.name} could not install it:\n{done.stderr[-2000:]}")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium (session-wide)."""
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
