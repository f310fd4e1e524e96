"""Benchmark: the monitoring service's drift engine against Evidently's DataDriftPreset.

Reference = the training rows, current = the test applicants, from the database
(``client_features``, split "train" vs "test") or from files, or generated here at full size::

    uv run python bench/bench_monitoring.py --database-url postgresql://...@127.0.0.1/credit
    uv run python bench/bench_monitoring.py --reference train.parquet --current test.parquet
    uv run python bench/bench_monitoring.py --generate            # 307,511 x 120 vs 48,744 x 120

Each side runs in a fresh process (spawned), so that its peak memory is its own. Prints the
profile build (once per model version), our run (the JSON verdicts: seconds, peak RSS),
Evidently's run, and the number of columns whose verdicts disagree (must be 0).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from credit_core.schema.features import CATEGORICAL_FEATURES, FEATURE_NAMES
from credit_core.settings import disable_telemetry

GENERATED_REFERENCE_ROWS = 307_511
GENERATED_CURRENT_ROWS = 48_744


def _peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: a spawned child inherits its
    parent's ru_maxrss from before exec, the high-water mark of its own memory map it does not."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def generate(rows: int, columns: int, seed: int, shift: float) -> tuple[pd.DataFrame, dict]:
    """A data set shaped like the application features: amounts, days, scores, flags, counts,
    categorical codes, sparse aggregates; ``shift`` moves a third of the columns."""
    rng = np.random.default_rng(seed)
    data, kinds = {}, {}
    for i in range(columns):
        moved = shift if i % 3 == 0 else 0.0
        family = i % 8
        if family == 0:
            values = rng.lognormal(12 + moved, 0.6, rows).round(-2)
        elif family == 1:
            values = -rng.integers(7000, 25000, rows).astype(float) * (1 + moved / 10)
        elif family == 2:
            values = np.clip(rng.normal(0.5 + moved / 5, 0.2, rows), 0, 1)
        elif family == 3:
            values = (rng.random(rows) < 0.1 + moved / 10).astype(float)
        elif family == 4:
            values = rng.poisson(0.5 + moved, rows).clip(0, 4).astype(float)
        elif family == 5:
            levels = 2 + (i * 7) % 57
            weights = np.linspace(1, 3 + moved, levels)
            values = rng.choice(levels, rows, p=weights / weights.sum()).astype(float)
        elif family == 6:
            values = rng.exponential(1 + moved, rows)
        else:
            values = rng.gamma(2, 1 + moved, rows)
        missing = rng.random(rows) < (0.6 if i % 5 == 0 else 0.05)
        values[missing] = np.nan
        data[f"F{i:03d}"] = values.astype(np.float32)
        kinds[f"F{i:03d}"] = "cat" if family == 5 else "num"
    return pd.DataFrame(data), kinds


def from_database(url: str) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    from sqlalchemy import select

    from credit_core.db import client_features, get_engine

    engine = get_engine(url)
    frames = {}
    for split in ("train", "test"):
        query = select(*(client_features.c[n] for n in FEATURE_NAMES)).where(
            client_features.c.split == split)
        with engine.connect() as connection:
            frames[split] = pd.read_sql(query, connection).astype(np.float32)
    reference = frames["train"]
    names = [n for n in FEATURE_NAMES if reference[n].notna().any()]
    kinds = {n: "cat" if n in CATEGORICAL_FEATURES else "num" for n in names}
    return reference[names], frames["test"][names], kinds


def _ours(folder: str, threads: int, queue: multiprocessing.Queue) -> None:
    from monitoring_service.drift import DriftProfile, compare

    started = time.perf_counter()
    profile = DriftProfile.load(Path(folder) / "profile.npz")
    current = pd.read_parquet(Path(folder) / "current.parquet")
    loaded, rss_loaded = time.perf_counter(), _peak_rss_mb()
    cpu = time.process_time()
    report = compare(profile, current, threads=threads)
    finished = time.perf_counter()
    queue.put({"load": loaded - started, "run": finished - loaded, "rss": _peak_rss_mb(),
               "rss_loaded": rss_loaded, "cpu": time.process_time() - cpu,
               "verdicts": {c.column: (c.method_name, c.score, c.drifted) for c in report.columns},
               "share": report.drift_share, "skipped": report.skipped})


def _evidently(folder: str, kinds: dict, queue: multiprocessing.Queue) -> None:
    from monitoring_service.drift import DriftOptions
    from monitoring_service.evidently_run import evidently_snapshot, evidently_verdicts

    reference = pd.read_parquet(Path(folder) / "reference.parquet")
    current = pd.read_parquet(Path(folder) / "current.parquet")
    started = time.perf_counter()
    verdicts = evidently_verdicts(evidently_snapshot(reference, current, kinds, DriftOptions()))
    queue.put({"run": time.perf_counter() - started, "rss": _peak_rss_mb(),
               "verdicts": {k: (v[0], v[1], v[3]) for k, v in verdicts.columns.items()},
               "share": verdicts.drift_share})


def _in_child(target, *args):  # type: ignore[no-untyped-def]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    if args.database_url:
        return from_database(args.database_url)
    if args.reference and args.current:
        reference = pd.read_parquet(args.reference).astype(np.float32)
        current = pd.read_parquet(args.current)[reference.columns].astype(np.float32)
        categorical = set(args.categorical or [])
        return reference, current, {c: "cat" if c in categorical else "num"
                                    for c in reference.columns}
    reference, kinds = generate(args.reference_rows, args.columns, seed=1, shift=0.0)
    current, _ = generate(args.current_rows, args.columns, seed=2, shift=args.shift)
    return reference, current, kinds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--database-url", help="read client_features (train vs test)")
    source.add_argument("--generate", action="store_true", help="generate the data (default)")
    parser.add_argument("--reference", type=Path, help="reference parquet (with --current)")
    parser.add_argument("--current", type=Path, help="current parquet")
    parser.add_argument("--categorical", nargs="*", help="categorical columns of the files")
    parser.add_argument("--reference-rows", type=int, default=GENERATED_REFERENCE_ROWS)
    parser.add_argument("--current-rows", type=int, default=GENERATED_CURRENT_ROWS)
    parser.add_argument("--columns", type=int, default=120, help="generated columns")
    parser.add_argument("--shift", type=float, default=0.1, help="generated drift")
    parser.add_argument("--threads", type=int, default=0, help="engine threads (0: auto)")
    parser.add_argument("--skip-evidently", action="store_true")
    args = parser.parse_args()
    disable_telemetry()

    from monitoring_service.drift import build_profile

    reference, current, kinds = _load(args)
    print(f"reference {reference.shape[0]:,} x {len(kinds)}, current {current.shape[0]:,} rows "
          f"({sum(k == 'cat' for k in kinds.values())} categorical columns)")
    with tempfile.TemporaryDirectory(prefix="bench-monitoring-") as folder:
        started = time.perf_counter()
        build_profile(reference, kinds).save(Path(folder) / "profile.npz")
        print(f"profile build (once per model version): {time.perf_counter() - started:.2f} s")
        reference.to_parquet(Path(folder) / "reference.parquet")
        current[list(kinds)].to_parquet(Path(folder) / "current.parquet")
        del reference, current
        ours = _in_child(_ours, folder, args.threads or None)
        print(f"ours: run {ours['run']:.2f} s ({ours['cpu']:.2f} s CPU in all threads; + "
              f"{ours['load']:.2f} s loading profile and current), peak RSS {ours['rss']:,.0f} MB "
              f"({ours['rss_loaded']:,.0f} MB once loaded), drift share {ours['share']:.3f}, "
              f"skipped {len(ours['skipped'])}")
        if args.skip_evidently:
            return 0
        theirs = _in_child(_evidently, folder, {c: kinds[c] for c in ours["verdicts"]})
    print(f"evidently: run {theirs['run']:.2f} s, peak RSS {theirs['rss']:,.0f} MB, "
          f"drift share {theirs['share']:.3f}")
    disagree = [c for c, v in ours["verdicts"].items()
                if (v[0], v[2]) != (theirs["verdicts"][c][0], theirs["verdicts"][c][2])]
    print(f"speed-up x{theirs['run'] / ours['run']:.0f}; columns whose verdicts disagree: "
          f"{len(disagree)}" + (f" {disagree[:10]}" if disagree else ""))
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
