#!/usr/bin/env bash
# Builds Redis and Postgres images from Debian packages and imports them into the local
# Docker engine, for machines that reach a Debian mirror but no image registry (CI).
# Learners with normal internet don't need this: the grader pulls the official images.
#
# Usage: docker/build-offline-images.sh            (skips images that already exist)
# Then:  KATAS_REDIS_IMAGE=katas-offline/redis:7 KATAS_POSTGRES_IMAGE=katas-offline/postgres:15 \
#        npm run grade rate-limiter -- --services docker
set -euo pipefail

redis_image=${KATAS_OFFLINE_REDIS_IMAGE:-katas-offline/redis:7}
postgres_image=${KATAS_OFFLINE_POSTGRES_IMAGE:-katas-offline/postgres:15}

if docker image inspect "$redis_image" >/dev/null 2>&1 && docker image inspect "$postgres_image" >/dev/null 2>&1; then
  echo "offline images already present: $redis_image, $postgres_image"
  exit 0
fi

# The mirror this machine already uses, read from its apt configuration (never hard-coded).
mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
if [ -z "$mirror" ]; then
  mirror=$(grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
fi
if [ -z "$mirror" ]; then
  echo "no Debian mirror found in /etc/apt; cannot build offline images" >&2
  exit 1
fi
command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }

rootfs=$(mktemp -d /tmp/katas-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "debootstrap bookworm from $mirror (about a minute)"
debootstrap --variant=minbase --include=redis-server,postgresql-15 bookworm "$rootfs" "$mirror" >/dev/null

# Same contract as the official postgres image: POSTGRES_USER / POSTGRES_PASSWORD, data in
# /var/lib/postgresql/data, password auth over TCP.
cat > "$rootfs/usr/local/bin/katas-postgres-entrypoint" <<'SH'
#!/bin/sh
set -eu
PGDATA=/var/lib/postgresql/data
BIN=/usr/lib/postgresql/15/bin
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
# Like the official image, accept "postgres -c ..." as the command.
if [ "${1:-}" = postgres ]; then shift; fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  printf '%s\n' "${POSTGRES_PASSWORD:-postgres}" > /tmp/pwfile
  chown postgres /tmp/pwfile
  as_postgres "$BIN/initdb" -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --pwfile=/tmp/pwfile \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f /tmp/pwfile
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups "$BIN/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"
SH
chmod +x "$rootfs/usr/local/bin/katas-postgres-entrypoint"
rm -rf "$rootfs/var/lib/postgresql/15" "$rootfs/var/cache/apt/archives"/*.deb

echo "importing $redis_image"
tar -C "$rootfs" -c . | docker import \
  -c 'CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no"]' \
  -c 'EXPOSE 6379' - "$redis_image" >/dev/null
echo "importing $postgres_image"
tar -C "$rootfs" -c . | docker import \
  -c 'ENTRYPOINT ["/usr/local/bin/katas-postgres-entrypoint"]' \
  -c 'ENV PGDATA=/var/lib/postgresql/data' \
  -c 'EXPOSE 5432' - "$postgres_image" >/dev/null
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep katas-offline
