"""The cost of refusing duplicate JSON keys: one parse with a pairs hook (today) against the
plain C parse and against the former middleware (hook parse + the app's own plain parse).

    uv run python bench/bench_json_keys.py [--applications 1000] [--fields 100] [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import timeit

from credit_core.web.json_keys import loads_unique


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--fields", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    application = {"AMT_INCOME_TOTAL": 150_000.0, "CODE_GENDER": "F",
                   **{f"FIELD_{i}": i * 1.5 for i in range(args.fields)}}
    body = json.dumps({"applications": [application] * args.applications}).encode()
    plain = min(timeit.repeat(lambda: json.loads(body), number=1, repeat=args.repeat))
    hooked = min(timeit.repeat(lambda: loads_unique(body), number=1, repeat=args.repeat))
    print(f"batch of {args.applications} x {args.fields + 2} fields, {len(body) / 1e6:.2f} MB "
          f"(best of {args.repeat}):")
    print(f"  json.loads (no duplicate check)          {plain * 1e3:7.1f} ms")
    print(f"  loads_unique (today: the one parse)      {hooked * 1e3:7.1f} ms")
    print(f"  middleware before (hook + plain parse)   {(plain + hooked) * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
