"""Start the product's processes for integration tests and wait until they answer."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

__all__ = ["Process", "free_port", "start_process"]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """A child process with its log file; ``stop()`` sends SIGTERM then waits."""

    def __init__(self, popen: subprocess.Popen, log: Path, url: str) -> None:
        self.popen = popen
        self.log = log
        self.url = url

    def stop(self, timeout: float = 30) -> int:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(10)
        return int(self.popen.returncode)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_process(args: list[str], env: Mapping[str, str], log: Path, url: str,
                  ready_path: str = "/healthz", timeout: float = 90,
                  expect_status: int | None = 200) -> Process:
    """Start ``args`` (in its own process group) and wait until ``url + ready_path`` answers."""
    full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    handle = log.open("w")
    popen = subprocess.Popen(args, env=full_env, stdout=handle, stderr=subprocess.STDOUT,
                             cwd=ROOT, start_new_session=True)
    process = Process(popen, log, url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise RuntimeError(f"{args[0]} exited with {popen.returncode}:\n{process.output()}")
        try:
            response = httpx.get(url + ready_path, timeout=2)
            if expect_status is None or response.status_code == expect_status:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.stop()
    raise TimeoutError(f"{args} did not answer {ready_path} in {timeout} s:\n{process.output()}")


PYTHON = sys.executable
