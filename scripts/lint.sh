#!/usr/bin/env bash
# `make lint`: ruff, mypy, and pip-audit of the locked dependencies (the workspace's uv.lock and
# the MLflow image's mlflow/requirements.txt). Every step runs; the status is 1 if any failed.
#
# pip-audit asks PyPI's JSON API (https://pypi.org/pypi/NAME/VERSION/json) about each pinned
# version. --strict: a dependency it could not check fails the audit, so an unreachable service
# never passes for "no known vulnerabilities". On a machine without that service,
# SKIP_AUDIT=1 make lint skips the audit, loudly. Accepted vulnerabilities (each with its
# reason in docs/dependency-audit.md) go in ACCEPTED below, as pip-audit --ignore-vuln IDs.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"

ACCEPTED=()  # e.g. ("GHSA-xxxx-xxxx-xxxx")  # see docs/dependency-audit.md

failed=()
step() {
  local name=$1
  shift
  echo "== $name"
  "$@" || failed+=("$name")
}

audit() {
  local requirements status ignore=()
  requirements=$(mktemp)
  # The exact versions of uv.lock, every member and group, without hashes or the workspace's
  # own packages (not on PyPI).
  uv export --frozen --all-packages --no-hashes --no-emit-workspace --quiet -o "$requirements" \
    || { rm -f "$requirements"; return 1; }
  for id in "${ACCEPTED[@]}"; do ignore+=(--ignore-vuln "$id"); done
  uv run pip-audit --strict --no-deps --disable-pip --progress-spinner off --desc off \
    -r "$requirements" -r mlflow/requirements.txt "${ignore[@]}"
  status=$?
  rm -f "$requirements"
  return $status
}

step ruff uv run ruff check .
# Every package: the core, the pipeline, the launcher and each service.
step mypy uv run mypy libs/credit_core/src pipeline/src launcher/src services/scoring/src \
  services/explain/src services/monitoring/src services/ui/src
if [ -n "${SKIP_AUDIT:-}" ]; then
  echo "== pip-audit SKIPPED (SKIP_AUDIT is set): the dependencies were NOT audited" >&2
else
  step pip-audit audit
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "lint failed: ${failed[*]}" >&2
  exit 1
fi
echo "lint passed"
