# The `init` service of docker-compose.yml: the one-shot that prepares the product. Idempotent:
# each step runs once (markers in the init-state volume, keys and accounts created once).
set -eu
state=/var/lib/credit/init
mkdir -p "$state"
echo "init: database schema"
credit db upgrade
if [ ! -f "$state/data-loaded" ]; then
  if [ -f /data/kaggle/application_train.csv ]; then
    echo "init: loading the Kaggle files mounted at /data/kaggle"
    credit data load /data/kaggle
  else
    echo "init: generating $INIT_ROWS synthetic applications (seed $INIT_SEED)"
    rm -rf /var/lib/credit/raw
    credit data generate --out /var/lib/credit/raw --rows "$INIT_ROWS" --seed "$INIT_SEED" --no-progress
    credit data load /var/lib/credit/raw
    rm -rf /var/lib/credit/raw
  fi
  touch "$state/data-loaded"
fi
if [ ! -f "$state/trained" ]; then
  echo "init: training ($INIT_TRAIN_PROFILE) and registering $MODEL_NAME@$MODEL_ALIAS"
  credit train --profile "$INIT_TRAIN_PROFILE"
  touch "$state/trained"
fi
# Key names are never reused (a revoked key keeps its name): one name per creation.
if [ ! -s /run/credit-ui/ui_api_key ]; then
  name="dashboard-$(date -u +%Y%m%d%H%M%S)"
  credit keys create "$name" --role service > /run/credit-ui/ui_api_key.tmp
  chmod 0600 /run/credit-ui/ui_api_key.tmp
  mv /run/credit-ui/ui_api_key.tmp /run/credit-ui/ui_api_key
  echo "init: API key $name created for the dashboard"
fi
if [ ! -s /run/credit/integrator_api_key ]; then
  # For integrators and the README's curl example (make up prints how to read it).
  name="integrator-$(date -u +%Y%m%d%H%M%S)"
  credit keys create "$name" --role integrator > /run/credit/integrator_api_key.tmp
  chmod 0600 /run/credit/integrator_api_key.tmp
  mv /run/credit/integrator_api_key.tmp /run/credit/integrator_api_key
  echo "init: API key $name created (role integrator)"
fi
if [ ! -f "$state/admin-created" ]; then
  if ! output="$(CREDIT_USER_PASSWORD="$(cat /run/credit/admin_password)" \
      credit users add "$CREDIT_ADMIN_USER" --role admin 2>&1)"; then
    case "$output" in
      *"already exists"*) ;;
      *) echo "$output" >&2; exit 1 ;;
    esac
  fi
  touch "$state/admin-created"
  echo "init: dashboard account '$CREDIT_ADMIN_USER' (role admin) created"
fi
echo "init: done"
