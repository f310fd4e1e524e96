"""The supervisor: starts the children in their own process groups, waits until they are
ready, watches them, and stops them (SIGTERM to each group, SIGKILL after a timeout or at a
second stop request)."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import typer

from credit_launcher.child import Child
from credit_launcher.signals import Signals

__all__ = ["Supervisor"]


def _local(argv: list[str]) -> list[str]:
    """Run a container command with this environment's interpreter."""
    if argv[0] == "python":
        return [sys.executable, *argv[1:]]
    return [sys.executable, "-m", *argv]


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if the supervisor itself is killed (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _signal_group(child: Child, signum: int) -> None:
    assert child.popen is not None
    with suppress(ProcessLookupError, PermissionError):  # the whole group is already gone
        os.killpg(child.popen.pid, signum)


def _group_alive(child: Child) -> bool:
    assert child.popen is not None
    child.popen.poll()  # reap the leader if it exited
    try:
        os.killpg(child.popen.pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


class Supervisor:
    """Starts the children, waits for them, watches them and stops them."""

    def __init__(self, children: list[Child], log_dir: Path, stop_timeout: float,
                 environment: dict[str, str]) -> None:
        self.children = children
        self.log_dir = log_dir
        self.stop_timeout = stop_timeout
        self.environment = environment

    def start(self) -> None:
        """Each child in a new session (its own group), its output in ``<log_dir>/<name>.log``."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for child in self.children:
            child.log = self.log_dir / f"{child.name}.log"
            with child.log.open("wb") as log:
                child.popen = subprocess.Popen(
                    _local(child.argv), env={**self.environment, **child.env},
                    stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                    preexec_fn=_die_with_parent,
                )
            typer.echo(f"started {child.name} (pid {child.popen.pid}), log {child.log}")

    def dead(self) -> Child | None:
        """The first child that exited, if any."""
        return next((c for c in self.children if c.popen and c.popen.poll() is not None), None)

    def report_death(self, child: Child) -> None:
        """Say which child exited, with its status and the end of its log."""
        assert child.popen is not None
        typer.secho(f"{child.name} exited with status {child.popen.returncode}; the end of "
                    f"{child.log}:\n{child.log_tail()}", err=True, fg=typer.colors.RED)

    def wait_ready(self, timeout: float, signals: Signals) -> bool:
        """True once every child answers its readiness path; False on death, timeout or signal."""
        typer.echo(f"waiting until every process is ready (at most {timeout:.0f} s) ...")
        started = time.monotonic()
        waiting = list(self.children)
        next_progress = started + 5
        while waiting and not signals.count:
            if (dead := self.dead()) is not None:
                self.report_death(dead)
                return False
            waiting = [child for child in waiting if not child.ready()]
            now = time.monotonic()
            if now - started > timeout:
                for child in waiting:
                    typer.secho(f"{child.name} not ready after {timeout:.0f} s "
                                f"({child.url}{child.ready_path}); the end of {child.log}:\n"
                                f"{child.log_tail()}", err=True, fg=typer.colors.RED)
                return False
            if waiting and now >= next_progress:
                typer.echo(f"waiting for {', '.join(c.name for c in waiting)} "
                           f"({now - started:.0f} s) ...")
                next_progress = now + 5
            time.sleep(0.3)
        return not signals.count

    def watch(self, signals: Signals) -> int:
        """Until a signal (status 0) or a child's death (status 1)."""
        while not signals.count:
            if (dead := self.dead()) is not None:
                self.report_death(dead)
                return 1
            time.sleep(0.25)
        typer.echo(f"{signals.name}: stopping ...")
        return 0

    def stop(self, signals: Signals) -> None:
        """SIGTERM to every group, SIGKILL to what is left after the timeout or a 2nd signal."""
        started = [child for child in self.children if child.popen is not None]
        for child in reversed(started):
            _signal_group(child, signal.SIGTERM)
        signals_before = signals.count
        deadline = time.monotonic() + self.stop_timeout
        while time.monotonic() < deadline and signals.count == signals_before:
            if not any(_group_alive(child) for child in started):
                break
            time.sleep(0.1)
        for child in started:
            if _group_alive(child):
                typer.echo(f"{child.name} did not stop in time: killed.")
                _signal_group(child, signal.SIGKILL)
        for child in started:
            assert child.popen is not None
            try:
                child.popen.wait(10)
            except subprocess.TimeoutExpired:
                typer.echo(f"{child.name} (pid {child.popen.pid}) did not exit.", err=True)
