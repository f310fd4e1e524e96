#!/usr/bin/env bash
# `make test`: every test of the workspace. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"
uv run pytest -n 2 --dist loadgroup "$@"
