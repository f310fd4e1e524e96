# A stand-in for python:3.11-slim-bookworm, made of Debian's own packages by
# scripts/base-images.sh on machines that cannot pull from Docker Hub, and tagged with the
# official name so that the project's Dockerfiles and compose file work unchanged. The same
# Debian release and Python minor version; `python`, `python3` and `python -m venv` (with pip)
# behave as in the official image. Python lives in /usr/bin instead of /usr/local/bin.
ARG DEBIAN_IMAGE=credit-platform/debian:bookworm
FROM ${DEBIAN_IMAGE}
# The release is fixed by the base; exact versions would break at the next security update.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates python3.11 python3.11-venv \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s /usr/bin/python3.11 /usr/local/bin/python \
    && ln -s /usr/bin/python3.11 /usr/local/bin/python3
ENV LANG=C.UTF-8
LABEL org.opencontainers.image.description="Stand-in for python:3.11-slim-bookworm, built from Debian packages"
CMD ["python3"]
