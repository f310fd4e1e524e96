#!/usr/bin/env bash
# `make up`: the product in containers (docker-compose.yml) from a fresh clone. Starts the
# Docker engine if it is installed and stopped (said on screen), makes sure the base images
# exist (pulled, or stand-ins built by scripts/base-images.sh), builds the images, starts the
# stack in the background, waits until every service is healthy and prints where things are.
#   INIT_ROWS=5000 make up      a smaller data set for the first start (default 50,000)
#   UP_TIMEOUT=1800             seconds to wait for the stack (the first start trains a model)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/docker-env.sh
. scripts/docker-env.sh

ensure_docker
scripts/base-images.sh
echo "Building the images (docker compose build) ..."
compose build
echo "Starting the stack; the first start loads the data and trains a model (several minutes)."
compose up -d
scripts/wait-healthy.sh "${UP_TIMEOUT:-1800}"

read_file="scripts/compose.sh exec -T scoring cat /run/credit"
# A client of the loaded data (the synthetic ids are spread over the Kaggle range).
client_id="$(compose exec -T postgres psql -U credit -d credit -Atc \
  "SELECT min(\"SK_ID_CURR\") FROM client_features WHERE split = 'test'" 2>/dev/null | tr -d '[:space:]' || true)"
cat <<TEXT

The platform runs in containers (compose project $COMPOSE_PROJECT_NAME):
  dashboard   http://127.0.0.1:7860
  scoring     http://127.0.0.1:8001/docs
  explain     http://127.0.0.1:8002/docs
  monitoring  http://127.0.0.1:8003/docs
  MLflow      http://127.0.0.1:5000
Credentials are in the 'secrets' volume (/run/credit in the service containers):
  dashboard account  ${CREDIT_ADMIN_USER:-admin}, password: $read_file/admin_password
  integrator API key $read_file/integrator_api_key
Score a client:
  curl -s -H "Authorization: Bearer \$($read_file/integrator_api_key)" \\
       -H 'Content-Type: application/json' -d '{"client_id": ${client_id:-100001}}' http://127.0.0.1:8001/v1/scores
Logs: scripts/compose.sh logs -f SERVICE.  Stop: make down (volumes kept; scripts/compose.sh down -v
removes them).
TEXT
