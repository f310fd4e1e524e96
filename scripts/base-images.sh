#!/usr/bin/env bash
# The base images of the project's images: the official ones where they can be pulled, else
# stand-ins built here from Debian's packages and tagged with the official names, so that the
# Dockerfiles and docker-compose.yml work unchanged. Images already present are kept.
#   PYTHON_IMAGE    python:3.11-slim-bookworm  (stand-in: Debian 12's python3.11)
#   POSTGRES_IMAGE  postgres:15-bookworm       (stand-in: Debian 12's postgresql-15)
# A stand-in starts from a minimal Debian 12 made by debootstrap from the mirror of apt's
# sources (DEBIAN_MIRROR to choose another), imported as credit-platform/debian:bookworm.
# FORCE_STANDINS=1 builds the stand-ins without trying to pull.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/docker-env.sh
. scripts/docker-env.sh

PYTHON_IMAGE="${PYTHON_IMAGE:-python:3.11-slim-bookworm}"
POSTGRES_IMAGE="${POSTGRES_IMAGE:-postgres:15-bookworm}"
DEBIAN_IMAGE=credit-platform/debian:bookworm

present() { docker image inspect "$1" >/dev/null 2>&1; }

pulled() {
  [ -z "${FORCE_STANDINS:-}" ] || return 1
  echo "$1: pulling ..."
  if timeout 300 docker pull -q "$1" >/dev/null 2>&1; then
    echo "$1: pulled"
  else
    echo "$1: cannot be pulled here; building a stand-in from Debian's packages"
    return 1
  fi
}

debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  # The first Debian archive (not the security one) of apt's sources, one-line or deb822 style.
  local uri
  uri="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
         2>/dev/null | grep -oE '(^deb|^URIs:)[[:space:]]+[^[:space:]]+' | awk '{print $2}' \
         | grep -E '/debian/?$' | head -n 1 || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

debian_base() {
  present "$DEBIAN_IMAGE" && return 0
  if ! command -v debootstrap >/dev/null 2>&1; then
    echo "debootstrap is missing: installing it (apt-get install debootstrap)"
    apt-get install -y -qq debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
  fi
  local mirror root
  mirror="$(debian_mirror)"
  root="$(mktemp -d /var/tmp/credit-debian.XXXXXX)"
  echo "$DEBIAN_IMAGE: debootstrap --variant=minbase bookworm from $mirror (about a minute) ..."
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -n 20 "$root.log" >&2; rm -rf "$root" "$root.log"; return 1; }
  # What an image does not need, as in the official Debian images: downloaded packages, apt's
  # lists and caches (apt-get update fetches them again), manuals, documentation and
  # translations, now and in every later installation.
  cat > "$root/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
  cat > "$root/etc/dpkg/dpkg.cfg.d/docker-excludes" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
DPKG
  find "$root/usr/share/doc" -type f ! -name copyright -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/cache/apt/*.bin \
    "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root.log"
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' -c 'ENV LANG=C.UTF-8' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$root"
  echo "$DEBIAN_IMAGE: imported"
}

standin() {  # standin IMAGE DOCKERFILE
  debian_base
  docker build -q -t "$1" --build-arg DEBIAN_IMAGE="$DEBIAN_IMAGE" -f "docker/base/$2" docker/base >/dev/null
  echo "$1: stand-in built from Debian's packages"
}

ensure_docker
for pair in "$PYTHON_IMAGE python.Dockerfile" "$POSTGRES_IMAGE postgres.Dockerfile"; do
  read -r image file <<<"$pair"
  if present "$image"; then
    description="$(docker image inspect -f '{{index .Config.Labels "org.opencontainers.image.description"}}' "$image" 2>/dev/null || true)"
    echo "$image: present${description:+ ($description)}"
  elif ! pulled "$image"; then
    standin "$image" "$file"
  fi
done
