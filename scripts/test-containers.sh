#!/usr/bin/env bash
# `make test-containers`: the tests marked `containers` (tests/containers): from a clean state,
# build the images, bring the stack up on a small data set (CONTAINERS_INIT_ROWS, 5,000), use it
# through its published ports, then `down -v`. Prints how long it took. Extra arguments go to
# pytest; CONTAINERS_KEEP=1 leaves the stack running afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"
# shellcheck source=scripts/docker-env.sh
. scripts/docker-env.sh
ensure_docker
start=$(date +%s)
status=0
CREDIT_TEST_CONTAINERS=1 uv run pytest -p no:cacheprovider -m containers tests/containers "$@" \
  || status=$?
echo "make test-containers: $(( $(date +%s) - start )) s"
exit "$status"
