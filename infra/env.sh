# shellcheck shell=bash
# Settings of the local stack. Every value can be overridden from the environment (or from a
# .env file at the repository root); the defaults are documented in .env.example and the README.
ORQ_ROOT="${ORQ_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
if [ -f "$ORQ_ROOT/.env" ]; then
  set -a
  # shellcheck disable=SC1091
  . "$ORQ_ROOT/.env"
  set +a
fi

# State (data, logs, pid files, cached binaries) lives outside the clone by default: the postgres
# user must be able to enter it, and a clone may sit under a directory it cannot (e.g. /root).
: "${ORQ_STATE_DIR:=/var/tmp/orqestra}"
# Downloaded jars and built binaries, per version: shared by every stack instance on the machine
# (a second instance for fault or load tests has its own state directory but reuses these).
: "${ORQ_CACHE_DIR:=$ORQ_STATE_DIR/cache}"
: "${ORQ_PG_PORT:=55432}"
: "${ORQ_REDIS_PORT:=56379}"
: "${ORQ_KAFKA_PORT:=59092}"
: "${ORQ_KAFKA_CONTROLLER_PORT:=59093}"
: "${ORQ_KAFKA_HEAP:=768m}"
: "${ORQ_CENTRIFUGO_PORT:=58000}"
: "${ORQ_API_PORT:=3000}"
: "${ORQ_GATEWAY_PORT:=3002}"
: "${ORQ_WORKER_PORT:=3003}"
: "${ORQ_CENTRIFUGO_VERSION:=v6.9.1}"
# Loopback on any port in development (tests run the API on free ports); production lists origins exactly.
: "${ORQ_CENTRIFUGO_ALLOWED_ORIGINS:=http://localhost:* http://127.0.0.1:*}"
: "${ORQ_KAFKA_PARTITIONS:=4}"
: "${ORQ_DB_NAME:=orqestra}"

ORQ_KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ORQ_ROOT/infra/kafka/pom.xml")
ORQ_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
ORQ_LOG_DIR="$ORQ_STATE_DIR/logs"
ORQ_RUN_DIR="$ORQ_STATE_DIR/run"
ORQ_SECRETS_FILE="$ORQ_STATE_DIR/secrets.env"
ORQ_STACK_ENV="$ORQ_STATE_DIR/stack.env"

export ORQ_ROOT ORQ_STATE_DIR ORQ_CACHE_DIR ORQ_PG_PORT ORQ_REDIS_PORT ORQ_KAFKA_PORT ORQ_KAFKA_CONTROLLER_PORT \
  ORQ_CENTRIFUGO_PORT ORQ_API_PORT ORQ_GATEWAY_PORT ORQ_WORKER_PORT ORQ_CENTRIFUGO_VERSION ORQ_CENTRIFUGO_ALLOWED_ORIGINS ORQ_KAFKA_VERSION \
  ORQ_KAFKA_PARTITIONS ORQ_DB_NAME ORQ_LOG_DIR ORQ_RUN_DIR ORQ_STACK_ENV

say() { printf '\033[1m[orqestra]\033[0m %s\n' "$*"; }
fail() { printf '\033[31m[orqestra] %s\033[0m\n' "$*" >&2; exit 1; }
