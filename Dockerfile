# The images of the platform's Python parts, one workspace package each, from the frozen lock.
# Built from the repository root; docker-compose.yml passes the arguments of each image:
#   docker build --build-arg PACKAGE=scoring-service --build-arg PORT=8001 \
#     --build-arg COMMAND="uvicorn scoring_service.main:create_app --factory --host 0.0.0.0 --port 8001" \
#     --build-arg SYSTEM_PACKAGES=libgomp1 -t credit-platform/scoring .
#   docker build --target job --build-arg PACKAGE=credit-pipeline -t credit-platform/pipeline .
# Targets: `service` (the default: a server with its port, health check and command) and `job`
# (the `credit` command line with the migrations, for one-shot runs).
# Only Dockerfile syntax the classic builder knows (no BuildKit mounts), so that the images build
# with any Docker engine and with docker-compose 1.x. No secret is baked in: DATABASE_URL,
# MLFLOW_TRACKING_URI, passwords and keys come from the environment at run time.

# Where the official image cannot be pulled, scripts/base-images.sh tags a stand-in under its name.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- uv, from its PyPI wheel (no other registry needed) ------------------------------------
FROM ${PYTHON_IMAGE} AS uv
ARG UV_VERSION=0.13.9
# Extra certificate authorities for a TLS-intercepting proxy between the build and PyPI (PEM,
# usually empty). Only the build stages see them: the final images do not declare this argument.
ARG BUILD_CA_CERTS=""
ENV SSL_CERT_FILE=/opt/build-ca.pem PIP_CERT=/opt/build-ca.pem
RUN cat /etc/ssl/certs/ca-certificates.crt > /opt/build-ca.pem \
    && printf '%s\n' "$BUILD_CA_CERTS" >> /opt/build-ca.pem \
    && python -m venv /opt/uv \
    && /opt/uv/bin/pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"
ENV PATH=/opt/uv/bin:$PATH UV_PYTHON_DOWNLOADS=never UV_PYTHON=python3.11

# --- what the package needs of the repository ----------------------------------------------
# Everything is sent here, and only the package's part comes out: the layers below are rebuilt
# only when that part changes (a change to another service leaves this image's layers alone).
FROM uv AS sources
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ARG PACKAGE
WORKDIR /src
COPY . .
# manifests/: every member's pyproject.toml (uv needs the whole workspace to read the lock)
# and uv.lock. members/: the same plus the source of the workspace members PACKAGE depends on,
# as `uv export` lists them, tests excluded.
RUN test -n "$PACKAGE" || { echo "build argument PACKAGE is required" >&2; exit 1; } \
    && mkdir -p /out/manifests /out/members \
    && find . \( -name pyproject.toml -o -name uv.lock \) -exec cp --parents {} /out/manifests \; \
    && cp -a /out/manifests/. /out/members/ \
    && uv export --package "$PACKAGE" --frozen --no-dev --no-editable --no-hashes --no-header \
       --format requirements-txt | sed -n 's|^\./||p' > /tmp/members \
    && while read -r member; do cp -a --parents "$member" /out/members; done < /tmp/members \
    && find /out/members -depth -type d -name tests -exec rm -rf {} \;

# --- the virtual environment ---------------------------------------------------------------
FROM uv AS builder
ARG PACKAGE
ARG EXTRAS=""
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/app/.venv UV_NO_CACHE=1
WORKDIR /app
# The third-party dependencies first: this layer changes only with the lock.
# EXTRAS are words: each becomes one --extra option (split on purpose).
COPY --from=sources /out/manifests ./
# hadolint ignore=SC2086
RUN extras=""; for extra in $EXTRAS; do extras="$extras --extra $extra"; done \
    && uv sync --frozen --no-dev --no-editable --package "$PACKAGE" $extras --no-install-workspace
COPY --from=sources /out/members ./
# hadolint ignore=SC2086
RUN extras=""; for extra in $EXTRAS; do extras="$extras --extra $extra"; done \
    && uv sync --frozen --no-dev --no-editable --package "$PACKAGE" $extras

# --- what every image runs on ----------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
# Debian packages the wheels link against (libgomp1: LightGBM's OpenMP runtime). The base
# image's tag fixes the Debian release; exact versions would break at its next security update.
ARG SYSTEM_PACKAGES=""
# hadolint ignore=DL3008,SC2086
RUN if [ -n "$SYSTEM_PACKAGES" ]; then \
        apt-get update \
        && apt-get install -y --no-install-recommends $SYSTEM_PACKAGES \
        && rm -rf /var/lib/apt/lists/*; \
    fi \
    && groupadd --system --gid 10001 credit \
    && useradd --system --uid 10001 --gid credit --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin credit \
    && mkdir -p /var/lib/credit && chown credit:credit /var/lib/credit
COPY --from=builder /app/.venv /app/.venv
# The root file system can be read-only: state goes to /var/lib/credit (a volume), scratch and
# caches to /tmp.
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    CREDIT_VAR_DIR=/var/lib/credit MPLCONFIGDIR=/tmp/matplotlib XDG_CACHE_HOME=/tmp/.cache \
    NUMBA_CACHE_DIR=/tmp/numba-cache GRADIO_TEMP_DIR=/tmp/gradio \
    MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=1 GRADIO_ANALYTICS_ENABLED=False
WORKDIR /app

# --- target `job`: the `credit` command line (compose's init, the Kubernetes Jobs) -----------
FROM runtime AS job
COPY db /app/db
ENV CREDIT_DB_DIR=/app/db
WORKDIR /var/lib/credit
USER 10001:10001
# A batch image: each run is one command, nothing serves.
HEALTHCHECK NONE
CMD ["credit", "--help"]

# --- target `service` (the default): one server ---------------------------------------------
FROM runtime AS service
ARG PORT
# The server's command line (docker inspect shows it under SERVICE_COMMAND): an argument, since
# the Dockerfile's CMD cannot read one. Plain words, split by the shell.
ARG COMMAND
# The dashboard reads its interface from UI_HOST; the APIs take --host in their command.
ENV SERVICE_PORT=${PORT} SERVICE_COMMAND=${COMMAND} UI_HOST=0.0.0.0
USER 10001:10001
EXPOSE ${PORT}
# Liveness only (/healthz); compose's own check asks for readiness (/readyz) where it orders starts.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['SERVICE_PORT']}/healthz\", timeout=4)"]
CMD ["/bin/sh", "-c", "exec $SERVICE_COMMAND"]
