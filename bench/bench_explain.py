"""Explanation speed: one client's explanation over HTTP, counterfactuals, both TreeSHAPs.

Prerequisites: the client features loaded into the database given by --database-url and a
champion in the registry given by --tracking-uri (the targets are for the full-size champion
on PostgreSQL), e.g.

    uv run python bench/bench_explain.py \
        --database-url postgresql+psycopg://postgres@127.0.0.1/credit_bench \
        --tracking-uri sqlite:///var/mlflow/mlflow.db

Prints: the model's size; in-process single-row TreeSHAP time of LightGBM's pred_contrib and
of shap's C++ TreeSHAP (when shap can represent the model) and their largest difference;
explanation by client id over HTTP on loopback (one worker, sequential keep-alive requests)
p50/p99; counterfactual p95 for refused applicants; global importance p50.
Targets: explanation p50 <= 10 ms and p99 <= 40 ms, counterfactual p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select

from credit_core.auth import create_api_key
from credit_core.db import client_features, get_engine
from credit_core.db.cohorts import read_matrix
from credit_core.model_source import ModelSource
from credit_core.settings import CoreSettings
from explain_service.shap.explainer import VersionExplainer
from explain_service.shap.treeshap import LightGBMTreeShap, ShapTreeShap
from tests.support.processes import free_port, start_process

BIN = Path(sys.executable).parent


def _ms(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values) * 1000, q))


def _request(connection: http.client.HTTPConnection, method: str, path: str,
             body: bytes | None, headers: dict[str, str]) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    return response.status, payload, time.perf_counter() - started


def treeshap_in_process(args: argparse.Namespace, workdir: Path) -> None:
    """Single-row TreeSHAP time of both implementations on the champion, and agreement."""
    source = ModelSource(args.tracking_uri, args.model_name, "champion", workdir / "cache")
    explainer = VersionExplainer(source.load_current())
    bundle = explainer.bundle
    rows = explainer.model_rows(read_matrix(get_engine(args.database_url), "train", limit=500))
    print(f"model {args.model_name} v{explainer.version}: {bundle.booster.num_trees()} trees, "
          f"{len(bundle.features)} features, calibration {bundle.calibration.method}, "
          f"reference {'yes' if explainer.reference else 'no'}")
    implementations: dict[str, Any] = {"lightgbm pred_contrib": LightGBMTreeShap(bundle.booster)}
    categorical = [bundle.features.index(n) for n in bundle.categorical_features]
    try:
        implementations["shap TreeSHAP (C++)"] = ShapTreeShap(bundle.booster, categorical)
    except ValueError as error:
        print(f"shap TreeSHAP: not exact for this model ({error}); timed on the same trees "
              f"with categories above 30 dropped from the splits (values not comparable)")
        implementations["shap TreeSHAP (C++), timing only"] = _shap_for_timing(bundle.booster)
    results = {}
    for name, implementation in implementations.items():
        for row in rows[:20]:
            implementation(row[None, :])  # warm up
        timings = []
        for row in rows:
            started = time.perf_counter()
            implementation(row[None, :])
            timings.append(time.perf_counter() - started)
        results[name] = implementation(rows)
        print(f"{name}, one row: p50 {_ms(timings, 50):.2f} ms, p99 {_ms(timings, 99):.2f} ms")
    if "shap TreeSHAP (C++)" in results:
        first, second = results.values()
        print(f"largest difference between the two: {np.abs(first - second).max():.2e}")


def _shap_for_timing(booster: Any) -> Any:
    """shap's TreeSHAP on the booster's trees, categorical splits cut to codes shap can hold:
    the same trees and depths, so the same work, but not the model's values."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        import shap

    trees = booster.dump_model()["tree_info"]
    stack = [tree["tree_structure"] for tree in trees]
    while stack:
        node = stack.pop()
        if "split_index" not in node:
            continue
        if node.get("decision_type") == "==":
            codes = [int(c) + 1 for c in str(node["threshold"]).split("||") if int(c) < 30]
            node["threshold"] = "||".join(map(str, codes or [1]))
        stack.extend((node["left_child"], node["right_child"]))
    explainer = shap.TreeExplainer({"trees": trees})

    def contributions(matrix: np.ndarray) -> np.ndarray:
        return np.asarray(explainer.shap_values(matrix, check_additivity=False))

    return contributions


def over_http(args: argparse.Namespace, workdir: Path) -> None:
    engine = get_engine(args.database_url)
    key = create_api_key(engine, f"bench-explain-{int(time.time())}", "service").key
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    with engine.connect() as connection:
        ids = connection.execute(select(client_features.c.SK_ID_CURR).where(
            client_features.c.split == "train").limit(args.requests)).scalars().all()
    port = free_port()
    service = start_process(
        [str(BIN / "credit"), "serve", "explain", "--port", str(port)],
        env={"DATABASE_URL": args.database_url, "MLFLOW_TRACKING_URI": args.tracking_uri,
             "MODEL_NAME": args.model_name, "EXPLAIN_LOG_LEVEL": "WARNING",
             "EXPLAIN_RATE_LIMIT_PER_MINUTE": "100000000",
             "EXPLAIN_RATE_LIMIT_BURST": "100000000", "CREDIT_VAR_DIR": str(workdir)},
        log=workdir / "explain.log", url=f"http://127.0.0.1:{port}", ready_path="/readyz",
        timeout=600)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        _, described, _ = _request(connection, "GET", "/v1/model", None, headers)
        print(f"the service chose TreeSHAP: {json.loads(described)['treeshap']}")
        bodies = [json.dumps({"client_id": int(i)}).encode() for i in ids]
        for body in bodies[:100]:  # warm up
            _request(connection, "POST", "/v1/explanations", body, headers)
        timings, refused = [], []
        for client_id, body in zip(ids, bodies, strict=True):
            status, payload, seconds = _request(connection, "POST", "/v1/explanations", body,
                                                headers)
            if status != 200:
                raise RuntimeError(f"/v1/explanations answered {status}: {payload[:200]!r}")
            timings.append(seconds)
            if json.loads(payload)["decision"] == "refused":
                refused.append(int(client_id))
        print(f"explanation by client id over HTTP (lookup + TreeSHAP + reasons + JSON), "
              f"{len(timings)} sequential requests: p50 {_ms(timings, 50):.2f} ms, "
              f"p99 {_ms(timings, 99):.2f} ms ({len(payload) / 1024:.0f} KB a response)")
        counterfactuals(connection, refused[: args.counterfactuals], headers)
        importance = [_request(connection, "GET", "/v1/importance", None, headers)[2]
                      for _ in range(50)]
        print(f"global importance (stored): p50 {_ms(importance, 50):.2f} ms")
    finally:
        service.stop()


def counterfactuals(connection: http.client.HTTPConnection, ids: list[int],
                    headers: dict[str, str]) -> None:
    timings, statuses = [], {}
    for client_id in ids:
        body = json.dumps({"client_id": client_id}).encode()
        status, payload, seconds = _request(connection, "POST", "/v1/counterfactuals", body,
                                            headers)
        if status != 200:
            raise RuntimeError(f"/v1/counterfactuals answered {status}: {payload[:200]!r}")
        timings.append(seconds)
        outcome = json.loads(payload)["status"]
        statuses[outcome] = statuses.get(outcome, 0) + 1
    if timings:
        print(f"counterfactual for refused applicants over HTTP, {len(timings)} requests: "
              f"p50 {_ms(timings, 50):.1f} ms, p95 {_ms(timings, 95):.1f} ms; {statuses}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=CoreSettings().resolved_database_url)
    parser.add_argument("--tracking-uri", default=CoreSettings().resolved_tracking_uri)
    parser.add_argument("--model-name", default=CoreSettings().model_name)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--counterfactuals", type=int, default=200)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-explain-"))
    treeshap_in_process(args, workdir)
    over_http(args, workdir)


if __name__ == "__main__":
    main()
