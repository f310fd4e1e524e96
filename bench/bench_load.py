"""Load: concurrent clients against the scoring and explain services, then the audit check.

The services run as real processes (`credit serve scoring|explain`, one uvicorn worker each) on
PostgreSQL. With --database-url, the clients of that database are used (features loaded);
without it, a throwaway PostgreSQL database is created on --admin-url with --clients synthetic
clients and dropped afterwards. With --tracking-uri, its champion is served; without it, a
throwaway MLflow store holds the tests' tiny model. So this runs anywhere with a PostgreSQL server:

    uv run python bench/bench_load.py                          # 64 clients x 60 s, throwaway
    uv run python bench/bench_load.py --concurrency 16 --seconds 10
    uv run python bench/bench_load.py --database-url postgresql://postgres@127.0.0.1/credit_bench \
        --tracking-uri sqlite:///var/mlflow/mlflow.db

Prints p50/p99 latency and throughput per endpoint and the errors, then checks that the rows of
`decisions` written under the run's API key equal the decisions in complete scoring responses
(a batch counts each scored id), exactly. Exit status 1 if they differ or if any request failed
(more than --max-errors).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

import psycopg
from sqlalchemy import select

from credit_core.auth import create_api_key
from credit_core.db import client_features, get_engine
from credit_core.topology import POSTGRES
from tests.support.fixtures import load_synthetic_clients
from tests.support.loadgen import DEFAULT_MIX, Target, decision_rows, run_load, start_services
from tests.support.models import register_bundle, train_tiny_bundle

ADMIN_URL = os.environ.get("CREDIT_TEST_POSTGRES_URL",
                           f"postgresql://postgres@127.0.0.1:{POSTGRES.port}/postgres")


@contextmanager
def throwaway_database(admin_url: str, clients: int) -> Iterator[str]:
    """A new PostgreSQL database with ``clients`` synthetic clients, dropped on exit."""
    admin_url = admin_url.replace("postgresql+psycopg://", "postgresql://")
    name = f"credit_load_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        raise SystemExit(f"bench_load needs a PostgreSQL server to create its throwaway database "
                         f"(--admin-url {admin_url}), or --database-url: {error}") from error
    url = f"{admin_url.rsplit('/', 1)[0]}/{name}"
    try:
        load_synthetic_clients(url, clients)
        yield url
    finally:
        get_engine.cache_clear()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def throwaway_registry(workdir: Path) -> str:
    """A local MLflow store whose credit-default@champion is the tests' tiny model."""
    uri = f"sqlite:///{workdir / 'mlflow.db'}"
    register_bundle(train_tiny_bundle(), uri, "credit-default", workdir)
    return uri


def client_ids(database_url: str, limit: int) -> list[int]:
    with get_engine(database_url).connect() as connection:
        return [int(i) for i in connection.execute(
            select(client_features.c.SK_ID_CURR).order_by(client_features.c.SK_ID_CURR)
            .limit(limit)).scalars()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a loaded database (default: a throwaway one)")
    parser.add_argument("--tracking-uri", help="a registry with a champion (default: throwaway)")
    parser.add_argument("--admin-url", default=ADMIN_URL,
                        help="where the throwaway database is created")
    parser.add_argument("--clients", type=int, default=2000, help="throwaway database size")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--batch-min", type=int, default=2)
    parser.add_argument("--batch-max", type=int, default=50)
    parser.add_argument("--no-explain", action="store_true", help="load the scoring service only")
    parser.add_argument("--max-errors", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    database = (nullcontext(args.database_url) if args.database_url
                else throwaway_database(args.admin_url, args.clients))
    with database as database_url:
        tracking_uri = args.tracking_uri or throwaway_registry(workdir)
        key_name = f"bench-load-{uuid.uuid4().hex[:8]}"
        key = create_api_key(get_engine(database_url), key_name, "service").key
        ids = client_ids(database_url, 20_000)
        services = ("scoring",) if args.no_explain else ("scoring", "explain")
        processes = start_services(database_url, tracking_uri, workdir, services)
        try:
            target = Target(processes["scoring"].url, key, ids,
                            None if args.no_explain else processes["explain"].url,
                            (args.batch_min, args.batch_max))
            print(f"{args.concurrency} clients x {args.seconds:.0f} s on {os.cpu_count()} cores "
                  f"(load average {os.getloadavg()[0]:.1f}), "
                  f"{len(ids):,} clients, batches of {args.batch_min}-{args.batch_max} ids, "
                  f"mix {dict(DEFAULT_MIX)}; logs in {workdir}", flush=True)
            report = run_load(target, args.concurrency, args.seconds, seed=args.seed)
        finally:
            for process in processes.values():
                process.stop()
        rows = decision_rows(database_url, key_name)
    print(report.table())
    print(f"outcomes: {report.kinds()}; the load client used {report.client_cpu_seconds:.0f} s "
          f"of CPU in {report.seconds:.0f} s (load average {os.getloadavg()[0]:.1f} at the end)")
    if report.errors:
        print(report.failures())
    print(f"audit: {rows} decisions rows written, {report.decisions} decisions in complete "
          f"scoring responses: {'EQUAL' if rows == report.decisions else 'DIFFERENT'}")
    return 0 if rows == report.decisions and report.errors <= args.max_errors else 1


if __name__ == "__main__":
    sys.exit(main())
