#!/bin/sh
# The `replica` service of docker-compose.yml: on first start, a base backup of `postgres` with
# the standby settings written (-R), then PostgreSQL as a hot standby streaming from it. The
# image's own entrypoint would initdb an empty database instead, so it is replaced.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until pg_isready -h postgres -q; do sleep 1; done
  gosu postgres pg_basebackup -h postgres -U replicator -D "$PGDATA" -X stream -R \
    --checkpoint=fast
fi
exec gosu postgres postgres -c hot_standby=on
