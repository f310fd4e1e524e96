# Sourced by the container scripts (base-images.sh, up.sh, down.sh, test-containers.sh):
#   ensure_docker   a reachable Docker engine; dockerd is started when installed and stopped
#                   (said on screen, never silently)
#   compose ...     the compose there is: the `docker compose` plugin (v2), else docker-compose
#                   (1.29, Debian's package); project name credit-platform
# and BUILD_CA_CERTS (extra CAs of a TLS-intercepting proxy, for the image builds).
# shellcheck shell=bash

export COMPOSE_PROJECT_NAME="${COMPOSE_PROJECT_NAME:-credit-platform}"
# The Dockerfiles need only the classic builder. docker-compose 1.x builds through its own
# client (not the docker command); without buildx, the docker command is told to use the
# classic builder rather than fail.
export COMPOSE_DOCKER_CLI_BUILD="${COMPOSE_DOCKER_CLI_BUILD:-0}"
if [ -z "${DOCKER_BUILDKIT:-}" ] && ! docker buildx version >/dev/null 2>&1; then
  export DOCKER_BUILDKIT=0
fi
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"

ensure_docker() {
  if ! command -v docker >/dev/null 2>&1; then
    echo "error: docker is not installed (Debian: apt-get install docker.io docker-compose)" >&2
    return 1
  fi
  docker info >/dev/null 2>&1 && return 0
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "error: the Docker engine does not answer and dockerd is not installed here" >&2
    return 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "error: the Docker engine does not answer; start it (sudo dockerd, or your service manager)" >&2
    return 1
  fi
  echo "The Docker engine is not running: starting dockerd in the background (log: $DOCKERD_LOG)."
  echo "  It keeps running after this command; stop it with: kill \$(cat /var/run/docker.pid)"
  nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "error: dockerd did not answer within 60 s; the end of $DOCKERD_LOG:" >&2
  tail -n 20 "$DOCKERD_LOG" >&2
  return 1
}

compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose "$@"
  else
    echo "error: neither 'docker compose' nor docker-compose is installed" \
      "(Debian: apt-get install docker-compose)" >&2
    return 1
  fi
}

# Certificate authorities added to this machine (Debian's place for them): a proxy that
# intercepts TLS needs them inside the build stages too, or pip and uv cannot reach PyPI.
if [ -z "${BUILD_CA_CERTS:-}" ] && compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  BUILD_CA_CERTS="$(cat /usr/local/share/ca-certificates/*.crt)"
  export BUILD_CA_CERTS
fi
