#!/usr/bin/env bash
# The project's compose command, whichever is installed (`docker compose` or docker-compose
# 1.29), with the project name credit-platform and the engine started if needed:
#   scripts/compose.sh ps | logs -f scoring | exec -T scoring cat /run/credit/admin_password | down -v
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/docker-env.sh
. scripts/docker-env.sh
ensure_docker
compose "$@"
