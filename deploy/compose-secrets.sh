#!/usr/bin/env bash
# Writes random secrets for deploy/compose.yaml into deploy/secrets/ (mode 600, git-ignored).
# Idempotent: files that exist are kept, so running it again never changes a password that a
# data volume already holds. Production: put the same variables in your own secret store.
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets"
umask 077
mkdir -p "$dir"
hex() { openssl rand -hex "$1"; }
[ -f "$dir/postgres_password" ] || hex 24 >"$dir/postgres_password"
if [ ! -f "$dir/postgres.env" ]; then
  printf 'ORQ_PG_OWNER_PASSWORD=%s\nORQ_PG_APP_PASSWORD=%s\n' "$(hex 24)" "$(hex 24)" >"$dir/postgres.env"
fi
# shellcheck disable=SC1091
. "$dir/postgres.env"
if [ ! -f "$dir/orqestra.env" ]; then
  api_key=$(hex 32) hmac=$(hex 32)
  cat >"$dir/orqestra.env" <<ENV
DATABASE_URL=postgres://orqestra_app:$ORQ_PG_APP_PASSWORD@postgres:5432/orqestra
CENTRIFUGO_API_KEY=$api_key
CENTRIFUGO_HMAC_SECRET=$hmac
CREDENTIALS_KEYS=k1:$(openssl rand -base64 32)
ADMIN_JWT_SECRET=$(hex 32)
ENV
  printf 'CENTRIFUGO_HTTP_API_KEY=%s\nCENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY=%s\n' "$api_key" "$hmac" >"$dir/centrifugo.env"
fi
[ -f "$dir/migrate.env" ] || printf 'DATABASE_OWNER_URL=postgres://orqestra_owner:%s@postgres:5432/orqestra\n' "$ORQ_PG_OWNER_PASSWORD" >"$dir/migrate.env"
echo "secrets in $dir"
