#!/usr/bin/env bash
# The container tools from Debian's packages, when missing: docker.io (the engine and client),
# docker-compose (1.29; the compose plugin is not packaged in Debian 12) and debootstrap (for
# the stand-in base images). Needs root and apt; exits 1 with the reason otherwise.
set -euo pipefail
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  missing+=(docker-compose)
fi
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "cannot install ${missing[*]}: needs root and apt-get" >&2
  exit 1
fi
echo "Installing ${missing[*]} (apt-get) ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
