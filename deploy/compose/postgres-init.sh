#!/usr/bin/env bash
# Runs once, when the postgres container initialises an empty data volume (docker-entrypoint-initdb.d).
# The same roles as infra/stack.sh: orqestra_owner owns the schema and runs the migrations;
# orqestra_app is what the services connect as and can neither bypass RLS nor act as superuser.
set -euo pipefail
: "${ORQ_DB_NAME:=orqestra}"
: "${ORQ_PG_OWNER_PASSWORD:?set in deploy/secrets/postgres.env}"
: "${ORQ_PG_APP_PASSWORD:?set in deploy/secrets/postgres.env}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_pw="$ORQ_PG_OWNER_PASSWORD" -v app_pw="$ORQ_PG_APP_PASSWORD" -v db="$ORQ_DB_NAME" <<'SQL'
CREATE ROLE orqestra_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE PASSWORD :'owner_pw';
CREATE ROLE orqestra_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT PASSWORD :'app_pw';
CREATE DATABASE :"db" OWNER orqestra_owner;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO orqestra_app;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$ORQ_DB_NAME" <<'SQL'
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO orqestra_owner;
SQL
