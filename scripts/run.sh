#!/usr/bin/env bash
# `make run`: the whole product on the embedded default. For now: the data part (generate,
# validate, build features, load the SQLite database under var/). Training, the services and
# the dashboard join this script as they are built (issues 3 to 8).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/data.sh
echo
echo "Done: the client features are in $(uv run python -c 'from credit_core.settings import get_core_settings as s; print(s().resolved_database_url)')."
echo "Not yet part of 'make run': training, the services and the dashboard (coming with their issues)."
