"""A throwaway PostgreSQL cluster that a test may stop and start at will.

Fault-injection tests must take the database away without touching the machine's shared server
on 127.0.0.1 (PostgreSQL's usual port, credit_core.topology.POSTGRES), which other tests (and
other engineers) use at the same time. So each test
module that needs it gets its own cluster: ``initdb`` into a temporary folder, ``pg_ctl`` on a
free loopback port with its Unix socket in that folder, and everything removed at the end.

The server binaries are found under /usr/lib/postgresql/<version>/bin (the highest version), or
in ``CREDIT_TEST_PG_BINDIR``. When running as root, the server runs as the ``postgres`` user
(PostgreSQL refuses to run as root), through ``runuser``. Without the binaries the tests are
skipped with a notice, except in CI (``CI`` set), where they fail, as the root conftest does for
the shared server.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import free_port

__all__ = ["PgCluster", "find_bindir", "pg_cluster"]

_SEARCH_ROOT = Path("/usr/lib/postgresql")
_OWNER = "postgres"


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    explicit = os.environ.get("CREDIT_TEST_PG_BINDIR")
    if explicit:
        return Path(explicit) if (Path(explicit) / "initdb").is_file() else None
    candidates = [path.parent for path in _SEARCH_ROOT.glob("*/bin/initdb")]

    def version(bindir: Path) -> tuple[int, ...]:
        digits = bindir.parent.name.split(".")
        return tuple(int(part) for part in digits if part.isdigit())

    return max(candidates, key=version) if candidates else None


class PgCluster:
    """One PostgreSQL cluster on ``127.0.0.1:port``, trust authentication, user ``postgres``.

    ``stop()`` and ``start()`` take the server away and bring it back on the same port with the
    same data, which is the fault the reliability tests inject.
    """

    def __init__(self, bindir: Path, base: Path, port: int) -> None:
        self.bindir = bindir
        self.base = base
        self.port = port
        self.datadir = base / "data"
        self.log = base / "server.log"
        self._as_owner = os.geteuid() == 0

    @property
    def admin_url(self) -> str:
        """SQLAlchemy URL of the maintenance database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self._as_owner:
            command = ["runuser", "-u", _OWNER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                cwd=self.base, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n"
                               f"{result.stdout}\n{result.stderr}\n{self.server_log()}")
        return result

    def init(self) -> None:
        # fsync off: a throwaway cluster need not survive a machine crash, and it spares the
        # shared disk; a fast or immediate stop still behaves as in production.
        self._run("initdb", "-D", str(self.datadir), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8", "--locale=C")

    def start(self, timeout: float = 30) -> float:
        """Start the server and wait until it accepts connections; the seconds it took."""
        began = time.monotonic()
        options = (f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=100")
        self._run("pg_ctl", "-D", str(self.datadir), "-o", options, "-l", str(self.log),
                  "-w", "-t", str(int(timeout)), "start", timeout=timeout + 10)
        return time.monotonic() - began

    def stop(self, mode: str = "fast", timeout: float = 30) -> float:
        """Stop the server (``fast``: sessions are cut and open transactions rolled back, as in
        a restart or a fail-over; ``immediate``: as a crash); the seconds it took."""
        began = time.monotonic()
        self._run("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "-t", str(int(timeout)),
                  "stop", timeout=timeout + 10)
        return time.monotonic() - began

    def is_running(self) -> bool:
        if not (self.datadir / "postmaster.pid").exists():
            return False
        command = [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "status"]
        if self._as_owner:
            command = ["runuser", "-u", _OWNER, "--", *command]
        return subprocess.run(command, capture_output=True, timeout=30, check=False).returncode == 0

    def create_database(self, prefix: str = "credit_fault") -> str:
        """A new empty database on this cluster; its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres",
                             autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def server_log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.is_file() else ""

    def destroy(self) -> None:
        """Stop the server if it runs (immediately: nothing is kept) and remove every file."""
        try:
            if self.is_running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the fault-injection tests)")
    pytest.skip(f"{reason}; the fault-injection tests need a local PostgreSQL installation "
                "(they run in CI)")


def _make_base() -> Path:
    # Not under pytest's tmp_path: that folder is private to root, and the server runs as
    # postgres. A short path also keeps the Unix socket under the 107-character limit.
    base = Path(tempfile.mkdtemp(prefix="credit-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam(_OWNER)
        os.chown(base, owner.pw_uid, owner.pw_gid)
    return base


@pytest.fixture(scope="module")
def pg_cluster() -> Iterator[PgCluster]:
    """A running throwaway cluster for the test module, removed afterwards (even on failure).

    Tests that stop it must start it again; the fixture checks at the end that they did not
    leave it down by accident, so that a later test does not fail for the wrong reason.
    """
    bindir = find_bindir()
    if bindir is None:
        where = os.environ.get("CREDIT_TEST_PG_BINDIR") or f"{_SEARCH_ROOT}/*/bin"
        _unavailable(f"no PostgreSQL server binaries (initdb) in {where}")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(_OWNER)
        except KeyError:
            _unavailable("running as root and there is no 'postgres' user to run the server")
        if shutil.which("runuser") is None:
            _unavailable("running as root and 'runuser' is missing")
    assert bindir is not None
    cluster = PgCluster(bindir, _make_base(), free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()
