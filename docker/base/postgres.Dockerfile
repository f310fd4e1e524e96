# A stand-in for postgres:15-bookworm, made of Debian's own packages by scripts/base-images.sh
# on machines that cannot pull from Docker Hub, and tagged with the official name. It keeps the
# parts of the official image the project uses: the postgres user (uid and gid 999), PGDATA at
# /var/lib/postgresql/data, the POSTGRES_USER / POSTGRES_DB / POSTGRES_PASSWORD(_FILE)
# variables, /docker-entrypoint-initdb.d, and pg_isready on the PATH.
ARG DEBIAN_IMAGE=credit-platform/debian:bookworm
FROM ${DEBIAN_IMAGE}
# Debian's packages would create a cluster of their own at installation: the entrypoint makes
# one in PGDATA on first start instead, as the official image does.
# hadolint ignore=DL3008
RUN groupadd --system --gid 999 postgres \
    && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-common \
    && sed -ri 's/#(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf \
    && apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
    && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
    && chmod 3777 /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
LABEL org.opencontainers.image.description="Stand-in for postgres:15-bookworm, built from Debian packages"
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
# Fast shutdown, as the official image: SIGTERM would wait for every client to leave.
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
