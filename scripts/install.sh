#!/usr/bin/env bash
# Install uv when missing, then the whole workspace from the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v uv >/dev/null 2>&1; then
  echo "Installing uv ..."
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi
uv sync --all-packages --frozen --quiet
