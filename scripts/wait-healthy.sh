#!/usr/bin/env bash
# Wait until the compose stack is ready: the one-shots (secrets, init) exited 0 and every
# server is healthy by its compose health check. Exits 1 with the end of the guilty container's
# log when one fails or is unhealthy, or when TIMEOUT seconds (first argument, 900) pass.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/docker-env.sh
. scripts/docker-env.sh
TIMEOUT="${1:-900}"
ONE_SHOTS="secrets init"
SERVERS="postgres mlflow scoring explain monitoring ui"

container() {  # the container id of a compose service (the first one)
  docker ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" \
    --filter "label=com.docker.compose.service=$1" | head -n 1
}

fail() {
  echo "error: $1 $2; the end of its log:" >&2
  docker logs --tail 40 "$(container "$1")" >&2 2>&1 || true
  exit 1
}

start=$(date +%s)
last_report=0
while :; do
  waiting=()
  for service in $ONE_SHOTS; do
    id="$(container "$service")"
    state="$([ -n "$id" ] && docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$id" || echo "missing 0")"
    case "$state" in
      "exited 0") ;;
      exited*) fail "$service" "exited with status ${state#exited }" ;;
      *) waiting+=("$service") ;;
    esac
  done
  for service in $SERVERS; do
    id="$(container "$service")"
    health="$([ -n "$id" ] && docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" || echo missing)"
    case "$health" in
      healthy) ;;
      unhealthy) fail "$service" "is unhealthy" ;;
      exited|dead) fail "$service" "stopped" ;;
      *) waiting+=("$service") ;;
    esac
  done
  elapsed=$(( $(date +%s) - start ))
  if [ ${#waiting[@]} -eq 0 ]; then
    echo "Every service is ready (${elapsed} s)."
    exit 0
  fi
  if [ "$elapsed" -ge "$TIMEOUT" ]; then
    echo "error: not ready after ${TIMEOUT} s: ${waiting[*]}" >&2
    exit 1
  fi
  if [ $(( elapsed - last_report )) -ge 15 ]; then
    echo "  waiting for: ${waiting[*]} (${elapsed} s)"
    last_report=$elapsed
  fi
  sleep 3
done
