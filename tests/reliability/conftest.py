"""What the fault-injection tests share: a throwaway PostgreSQL cluster, a database of clients on
it, an MLflow server behind a gate that can make it unreachable, and service processes.

Everything lives on that throwaway cluster (never the shared server at 127.0.0.1:5432), so that
taking the database away hurts no other test running at the same time.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from credit_core.auth import create_api_key
from credit_core.bundle import ModelBundle
from credit_core.db import get_engine
from tests.support.fixtures import Registry, load_synthetic_clients
from tests.support.pgcluster import PgCluster, pg_cluster
from tests.support.processes import Process, free_port, start_process

__all__ = ["FaultDatabase", "RegistryServer", "TcpGate", "fault_db", "launch", "pg_cluster",
           "registry_boot", "registry_server", "start_service"]

BIN = Path(sys.executable).parent


@dataclass
class FaultDatabase:
    """A migrated database on the throwaway cluster, with clients and one key per role."""

    url: str
    keys: dict[str, str]
    client_ids: list[int]


@pytest.fixture(scope="module")
def fault_db(pg_cluster: PgCluster) -> Iterator[FaultDatabase]:
    url = pg_cluster.create_database()
    vectors = load_synthetic_clients(url)
    engine = get_engine(url)
    keys = {role: create_api_key(engine, f"fault-{role}", role).key
            for role in ("integrator", "admin")}
    yield FaultDatabase(url, keys, vectors.index.tolist())
    engine.dispose()  # the cluster is removed next; drop our pooled connections first


class TcpGate:
    """A loopback TCP forwarder in front of a server, that can be closed and opened again.

    Closed, its port refuses connections and the connections it carried are cut: to a client
    this is a server that went away, and "it comes back" is opening the gate, without paying
    for another start of the server (an MLflow server takes 10-100 s to start on a busy CI
    machine).
    """

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._closing = threading.Event()
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.2)  # the accept loop checks for close() this often
        self._closing.clear()
        self._listener = listener
        self._acceptor = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._acceptor.start()

    def close(self) -> None:
        """Refuse new connections and cut the open ones."""
        self._closing.set()
        if self._acceptor is not None:
            self._acceptor.join(5)
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    @property
    def is_open(self) -> bool:
        return self._listener is not None

    def _accept(self, listener: socket.socket) -> None:
        while not self._closing.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            for connection in (client, upstream):
                connection.settimeout(None)
            with self._lock:
                self._connections |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:  # either side ending ends the pair, as HTTP connections do
            for connection in (source, sink):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            with self._lock:
                self._connections -= {source, sink}


class RegistryServer:
    """``mlflow server`` (SQLite backend, proxied artifacts) and a gate in front of it: the
    services get ``url`` (the gate), the tests register through ``direct``.

    Its backend is not on the throwaway cluster so that the database fault of one test cannot
    break the registry of the next. ``launch()`` returns at once and ``ready()`` waits: the
    server (slow to import) boots while the first test runs.
    """

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.server_port = free_port()
        self.direct = f"http://127.0.0.1:{self.server_port}"
        self.gate = TcpGate(self.server_port)
        self.url = self.gate.url
        self.registry = Registry(self.direct, "credit-default", workdir)
        self.process: Process | None = None
        self.log = workdir / "mlflow.log"

    def launch(self) -> None:
        handle = self.log.open("w")
        popen = subprocess.Popen(
            [str(BIN / "mlflow"), "server", "--backend-store-uri",
             f"sqlite:///{self.workdir / 'mlflow.db'}", "--artifacts-destination",
             str(self.workdir / "artifacts"), "--host", "127.0.0.1", "--port",
             str(self.server_port), "--workers", "1"],
            env={**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true", "PYTHONUNBUFFERED": "1"},
            stdout=handle, stderr=subprocess.STDOUT, cwd=self.workdir, start_new_session=True)
        self.process = Process(popen, self.log, self.direct)

    def ready(self, timeout: float = 300) -> None:
        """Wait until /health answers (bounded), then open the gate."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while True:
            if self.process.popen.poll() is not None:
                raise RuntimeError(f"mlflow server exited:\n{self.process.output()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.direct + "/health", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"mlflow server not healthy in {timeout} s:\n"
                                   f"{self.process.output()[-3000:]}")
            time.sleep(0.3)
        if not self.gate.is_open:
            self.gate.open()

    def stop(self) -> None:
        self.gate.close()
        if self.process is not None:
            self.process.stop()
            self.process = None

    def register(self, bundle: ModelBundle, alias: str | None = None) -> str:
        return self.registry.register(bundle, alias=alias)

    def move_alias(self, version: str) -> None:
        self.registry.move_alias(version)


@pytest.fixture(scope="module")
def registry_boot(pg_cluster: PgCluster,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryServer]:
    """The MLflow server, launched (not yet ready): ask for it early to overlap its boot.

    It needs no cluster, but asks for one so that a machine without PostgreSQL skips (or, in
    CI, fails) at once instead of booting a server for nothing."""
    del pg_cluster
    server = RegistryServer(tmp_path_factory.mktemp("registry"))
    server.launch()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def registry_server(registry_boot: RegistryServer, tiny_bundle: ModelBundle) -> RegistryServer:
    """The MLflow server, ready, gate open, ``credit-default@champion`` = version 1."""
    registry_boot.ready()
    assert registry_boot.register(tiny_bundle, alias="champion") == "1"
    return registry_boot


def start_service(service: str, workdir: Path, database_url: str, tracking_uri: str,
                  ready_path: str = "/readyz", **env: str) -> Process:
    """``credit serve <service>`` on a free port, polling the registry every second, with its
    own CREDIT_VAR_DIR (hence its own model cache) under ``workdir``; returns once
    ``ready_path`` answers 200."""
    port = free_port()
    prefix = service.upper()
    workdir.mkdir(parents=True, exist_ok=True)
    return start_process(
        [str(BIN / "credit"), "serve", service, "--port", str(port)],
        env={"DATABASE_URL": database_url, "MLFLOW_TRACKING_URI": tracking_uri,
             "CREDIT_VAR_DIR": str(workdir / "var"), f"{prefix}_RELOAD_INTERVAL_SECONDS": "1",
             f"{prefix}_LOG_LEVEL": "INFO", **env},
        log=workdir / f"{service}-{port}.log", url=f"http://127.0.0.1:{port}",
        ready_path=ready_path, timeout=120,
    )


@pytest.fixture
def launch() -> Iterator[Callable[..., Process]]:
    """``start_service`` whose processes are all stopped when the test ends, however it ends."""
    started: list[Process] = []

    def start(*args: object, **kwargs: str) -> Process:
        started.append(start_service(*args, **kwargs))  # type: ignore[arg-type]
        return started[-1]

    yield start
    for process in started:
        process.stop()
