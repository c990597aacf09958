#!/bin/sh
# Run once by the postgres image when it creates the database (docker-compose.yml): the role the
# `replica` profile's standby streams as, and the pg_hba.conf line that lets it in (the image's
# own line admits no replication connection). On a primary created before this file existed, run
# the two by hand (docs/operations.md#read-replica).
set -eu
# From standard input, where psql quotes the variable (it does not within -c).
echo "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';" | \
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=password="$REPLICATION_PASSWORD"
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
