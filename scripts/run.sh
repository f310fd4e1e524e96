#!/usr/bin/env bash
# `make run`: the whole product on the embedded default (SQLite + a local MLflow store under
# var/): data, a registered champion, local credentials, then every process under one
# supervisor (`credit serve all`, from the credit-launcher package; Ctrl-C stops everything).
# Each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"
VAR="${CREDIT_VAR_DIR:-var}"
scripts/data.sh
if [ ! -f "$VAR/.trained" ]; then
  uv run credit train --profile quick
  touch "$VAR/.trained"
else
  echo "A champion is already registered ($VAR/.trained); 'uv run credit train' trains again."
fi
SECRETS="$VAR/secrets"; mkdir -p "$SECRETS"; chmod 700 "$SECRETS"
if [ ! -s "$SECRETS/ui_api_key" ]; then
  uv run credit keys create "dashboard-$(date -u +%Y%m%d%H%M%S)" --role service > "$SECRETS/ui_api_key.tmp"
  chmod 600 "$SECRETS/ui_api_key.tmp"; mv "$SECRETS/ui_api_key.tmp" "$SECRETS/ui_api_key"
fi
if [ ! -s "$SECRETS/integrator_api_key" ]; then
  uv run credit keys create "integrator-$(date -u +%Y%m%d%H%M%S)" --role integrator > "$SECRETS/integrator_api_key.tmp"
  chmod 600 "$SECRETS/integrator_api_key.tmp"; mv "$SECRETS/integrator_api_key.tmp" "$SECRETS/integrator_api_key"
fi
if [ ! -s "$SECRETS/admin_password" ]; then
  uv run python -c "import secrets; print(secrets.token_urlsafe(18))" > "$SECRETS/admin_password.tmp"
  chmod 600 "$SECRETS/admin_password.tmp"
  CREDIT_USER_PASSWORD="$(cat "$SECRETS/admin_password.tmp")" uv run credit users add admin --role admin
  mv "$SECRETS/admin_password.tmp" "$SECRETS/admin_password"
fi
# The scoring service's address from the one table of ports (credit_core.topology).
SCORING_URL="$(uv run python -c 'from credit_core.topology import local_url; print(local_url("scoring"))')"
echo
echo "Dashboard account: admin / $(cat "$SECRETS/admin_password")"
echo "API key for curl (role integrator): $SECRETS/integrator_api_key"
echo "  curl -s -H \"Authorization: Bearer \$(cat $SECRETS/integrator_api_key)\" -H 'Content-Type: application/json' \\"
echo "       -d '{\"client_id\": 100001}' $SCORING_URL/v1/scores"
UI_API_KEY_FILE="$(cd "$SECRETS" && pwd)/ui_api_key"
export UI_API_KEY_FILE
exec uv run credit serve all
