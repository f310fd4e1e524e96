#!/usr/bin/env bash
# `make test`: every test of the workspace. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"
# The dashboard's browser tests drive Debian's chromium (Playwright cannot download one here).
if ! scripts/install-browser.sh; then
  [ -n "${CI:-}" ] && exit 1
  echo "warning: chromium could not be installed; the browser tests will fail with the reason" >&2
fi
uv run pytest -n 2 --dist loadgroup "$@"
