#!/usr/bin/env bash
# First-start initialisation of the `postgis` service (docker/compose.yml).
#
# The postgres image runs the scripts of /docker-entrypoint-initdb.d once, when the data
# volume is empty, after the postgis image's own 10_postgis.sh. This one:
#   - creates the application's login role APP_DB_USER (not a superuser),
#   - makes it the owner of POSTGRES_DB (so it may create tables in `public`),
#   - creates the extensions the migrations need (postgis, pg_trgm) as the superuser:
#     the initial migration says `create extension if not exists ...`, which is then a
#     no-op and needs no superuser rights.
#
# Changing APP_DB_PASSWORD later does not re-run this script: alter the role by hand
# (ALTER ROLE ... PASSWORD ...) or recreate the volume.
#
# The entrypoint may source this file instead of executing it (when it is not
# executable), so it neither changes shell options nor calls `exit`.

: "${APP_DB_USER:?APP_DB_USER must be set}"
: "${APP_DB_PASSWORD:?APP_DB_PASSWORD must be set}"

psql -v ON_ERROR_STOP=1 \
  --username "$POSTGRES_USER" \
  --dbname "$POSTGRES_DB" \
  --set=app_user="$APP_DB_USER" \
  --set=app_password="$APP_DB_PASSWORD" \
  --set=app_db="$POSTGRES_DB" <<'SQL'
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user') AS create_role \gset
\if :create_role
  CREATE ROLE :"app_user" LOGIN PASSWORD :'app_password';
\else
  ALTER ROLE :"app_user" LOGIN PASSWORD :'app_password';
\endif
ALTER DATABASE :"app_db" OWNER TO :"app_user";
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SQL
