"""One supervised process: what it runs, where it answers, and its log."""

from __future__ import annotations

import subprocess
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Child"]

_LOG_TAIL_LINES = 25


@dataclass
class Child:
    """One supervised process: what to run, where it answers, and its process once started."""

    name: str
    argv: list[str]
    host: str
    port: int
    ready_path: str = "/readyz"
    show_path: str = ""
    env: dict[str, str] = field(default_factory=dict)
    popen: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        """Where a client on this machine reaches the process (a wildcard bind is local too)."""
        client_host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{client_host}:{self.port}"

    def ready(self) -> bool:
        """Whether the readiness path answers 200 now."""
        try:
            with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as response:
                return bool(response.status == 200)
        except OSError:  # refused, reset, timeout, or an HTTP error status (503 until ready)
            return False

    def log_tail(self) -> str:
        """The last lines of the log, indented, to show under a failure."""
        if self.log is None or not self.log.is_file():
            return ""
        lines = self.log.read_text(errors="replace").splitlines()
        return "\n".join(f"    {line}" for line in lines[-_LOG_TAIL_LINES:])
