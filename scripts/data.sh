#!/usr/bin/env bash
# Generate the synthetic data set under var/data/raw (unless present) and load it into the database
# (the embedded database is loaded once per data set; `make clean` starts over).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"
ROWS="${ROWS:-307511}"
SEED="${SEED:-42}"
VAR="${CREDIT_VAR_DIR:-var}"
RAW="$VAR/data/raw-${ROWS}-${SEED}"
if [ ! -f "$RAW/.complete" ]; then
  uv run credit data generate --out "$RAW" --rows "$ROWS" --seed "$SEED"
  touch "$RAW/.complete"
else
  echo "Data already generated in $RAW (delete it or 'make clean' to regenerate)."
fi
STAMP="$VAR/.loaded-${ROWS}-${SEED}"
if [ -n "${DATABASE_URL:-}" ] || [ ! -f "$STAMP" ] || [ ! -f "$VAR/credit.db" ]; then
  uv run credit data load "$RAW"
  [ -n "${DATABASE_URL:-}" ] || { rm -f "$VAR"/.loaded-*; touch "$STAMP"; }
else
  echo "The embedded database already holds $RAW ($STAMP); 'uv run credit data load $RAW' reloads it."
fi
