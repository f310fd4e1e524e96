#!/usr/bin/env bash
# Generate the synthetic data set under var/data/raw (unless present) and load it into the database.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"
ROWS="${ROWS:-307511}"
SEED="${SEED:-42}"
RAW="var/data/raw-${ROWS}-${SEED}"
if [ ! -f "$RAW/.complete" ]; then
  uv run credit data generate --out "$RAW" --rows "$ROWS" --seed "$SEED"
  touch "$RAW/.complete"
else
  echo "Data already generated in $RAW (delete it or 'make clean' to regenerate)."
fi
uv run credit data load "$RAW"
