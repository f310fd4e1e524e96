"""Generator benchmark: wall time, peak memory, rows and bytes of a synthetic Home Credit folder.

    uv run python bench/bench_generate.py [--rows 307511] [--seed 42] [--out DIR] [--measure]

Writes into a temporary folder (removed afterwards) unless --out is given. With --measure it
also reads the folder back and prints the realism figures the generator is tuned against
(TARGET rate, EXT_SOURCE correlations, default rate by age, LightGBM AUCs and the oracle's).
Peak memory is the process's maximum resident set size (resource.getrusage).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from credit_pipeline.data.generate import generate


def _print_generation(out_dir: Path, rows: int, seed: int) -> None:
    started = time.perf_counter()
    summary = generate(out_dir, rows=rows, seed=seed, progress=True)
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"generate(rows={rows:,}, seed={seed}) into {out_dir}")
    print(f"wall time      {wall:8.1f} s")
    print(f"peak RSS       {peak_mb:8.0f} MB")
    total = 0
    for file, count in summary.rows.items():
        size = (out_dir / file).stat().st_size
        total += size
        print(f"  {file:32s} {count:>12,} rows {size / 1e6:10.1f} MB")
    print(f"total bytes    {total:,} ({total / 1e9:.2f} GB)")


def _print_realism(out_dir: Path) -> None:
    from credit_pipeline.data.generate.realism import measure

    started = time.perf_counter()
    report = measure(out_dir)
    print(f"realism (measured in {time.perf_counter() - started:.0f} s)")
    print(f"  TARGET rate               {report.target_rate:.4f}  (real 0.0807)")
    for name, value in report.ext_correlations.items():
        print(f"  corr({name}, TARGET) {value:+.3f}")
    rates = ", ".join(f"{band} {rate:.3f}" for band, rate in report.default_rate_by_age.items())
    print(f"  default rate by age       {rates}")
    for name, value in report.aggregate_correlations.items():
        print(f"  corr({name}, TARGET) {value:+.3f}")
    print(f"  AUC application only      {report.application_auc:.4f}")
    print(f"  AUC + satellite aggregates {report.with_satellites_auc:.4f}")
    print(f"  AUC oracle                {report.oracle_auc:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=307_511)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=None, help="keep the files in this folder")
    parser.add_argument("--measure", action="store_true", help="also print realism figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="homecredit-") as scratch:
        out_dir = args.out or Path(scratch) / "raw"
        _print_generation(out_dir, args.rows, args.seed)
        if args.measure:
            _print_realism(out_dir)


if __name__ == "__main__":
    main()
