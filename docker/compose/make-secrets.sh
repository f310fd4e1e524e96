# The `secrets` service of docker-compose.yml. Runs as root, at every start; writes only what
# is missing. The files belong to the users who read them: postgres (999) and the product's
# processes (10001).
set -eu
umask 077
random() { head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32; }
if [ ! -s /run/credit/postgres_password ]; then
  password="${POSTGRES_PASSWORD:-$(random)}"
  printf '%s' "$password" > /run/credit/postgres_password
  # libpq's password file: host:port:database:user:password (':' and '\' escaped).
  escaped="$(printf '%s' "$password" | sed 's/[\\:]/\\&/g')"
  printf '*:*:*:credit:%s\n' "$escaped" > /run/credit/pgpass
  chown 999:999 /run/credit/postgres_password
  chown 10001:10001 /run/credit/pgpass
  echo "secrets: database password written to the secrets volume"
fi
if [ ! -s /run/credit/admin_password ]; then
  printf '%s' "${CREDIT_ADMIN_PASSWORD:-$(random)}" > /run/credit/admin_password
  chown 10001:10001 /run/credit/admin_password
  echo "secrets: first admin password written to the secrets volume"
fi
# MLflow: the administrator (the server and the users job), the CSRF key of its auth app, and one
# account per part: training writes, the services read (mlflow/provision_users.py).
write_once() {  # file, what
  if [ ! -s "$1" ]; then
    random > "$1"
    chown 10001:10001 "$1"
    echo "secrets: $2 written"
  fi
}
write_once /run/mlflow-admin/admin_password "MLflow administrator password"
write_once /run/mlflow-admin/flask_secret "MLflow CSRF key"
write_once /run/mlflow-training/password "MLflow training account password"
write_once /run/credit/mlflow_services_password "MLflow services account password"
chown 10001:10001 /run/credit /run/credit-ui /run/mlflow-admin /run/mlflow-training
chmod 0755 /run/credit
chmod 0700 /run/credit-ui /run/mlflow-admin /run/mlflow-training
