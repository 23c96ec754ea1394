#!/usr/bin/env bash
# The local stack: PostgreSQL, Redis, Apache Kafka (KRaft) and Centrifugo as ordinary processes.
#   infra/stack.sh install            install whatever is missing (apt, Maven, go install)
#   infra/stack.sh start [component]  start (idempotent; waits for readiness with a deadline)
#   infra/stack.sh stop  [component]
#   infra/stack.sh status
#   infra/stack.sh install chromium   Debian's Chromium, for the browser tests (npm test runs it)
# Components: postgres redis kafka centrifugo (the stack), api worker gateway admin (Orqestra's own processes,
# started by npm run up after the build and the migrations). State, logs and caches live in $ORQ_STATE_DIR.
set -euo pipefail
# shellcheck source=infra/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# shellcheck source=infra/admin-console.sh
. "$ORQ_ROOT/infra/admin-console.sh"

COMPONENTS=(postgres redis kafka centrifugo)
APPS=(api worker gateway admin)

as_postgres() {
  # From /: the postgres user may not be allowed into the current directory (a clone under /root, a CI temp dir).
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

apt_install() {
  # $@: Debian packages. apt-get update runs at most once per invocation of this script.
  [ "$(id -u)" = 0 ] || fail "need root (or sudo) to install Debian packages: $*"
  if [ -z "${APT_UPDATED:-}" ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >"$ORQ_LOG_DIR/apt.log" 2>&1 || fail "apt-get update failed; see $ORQ_LOG_DIR/apt.log"
    APT_UPDATED=1
  fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$ORQ_LOG_DIR/apt.log" 2>&1 \
    || fail "apt-get install $* failed; see $ORQ_LOG_DIR/apt.log"
}

ensure_dirs() {
  mkdir -p "$ORQ_STATE_DIR" "$ORQ_LOG_DIR" "$ORQ_RUN_DIR" "$ORQ_CACHE_DIR"
  # The postgres user must be able to enter the state directory.
  chmod 755 "$ORQ_STATE_DIR"
}

# Development secrets: generated once per state directory, never committed. Production sets
# the same variables from its own secret store.
ensure_secrets() {
  umask 077
  touch "$ORQ_SECRETS_FILE"
  add_secret ORQ_PG_OWNER_PASSWORD "$(openssl rand -hex 24)"
  add_secret ORQ_PG_APP_PASSWORD "$(openssl rand -hex 24)"
  add_secret ORQ_CENTRIFUGO_API_KEY "$(openssl rand -hex 32)"
  add_secret ORQ_CENTRIFUGO_HMAC_SECRET "$(openssl rand -hex 32)"
  add_secret ORQ_CREDENTIALS_KEYS "dev1:$(openssl rand -base64 32)"
  add_secret ORQ_ADMIN_JWT_SECRET "$(openssl rand -hex 32)"
  umask 022
  set -a
  # shellcheck disable=SC1090
  . "$ORQ_SECRETS_FILE"
  set +a
}

# add_secret NAME VALUE: appends NAME=VALUE unless the secrets file already has NAME (secrets
# added by newer versions of this script appear without disturbing the existing ones).
add_secret() { grep -q "^$1=" "$ORQ_SECRETS_FILE" || echo "$1=$2" >>"$ORQ_SECRETS_FILE"; }

# ---------------------------------------------------------------- PostgreSQL
PG_DATA="$ORQ_STATE_DIR/postgres/data"
PG_SOCK="$ORQ_STATE_DIR/postgres/run"
PG_LOG="$ORQ_LOG_DIR/postgres.log"

install_postgres() {
  [ -n "$ORQ_PG_BIN" ] && [ -x "$ORQ_PG_BIN/postgres" ] && return
  apt_install postgresql
  ORQ_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
}

psql_super() { as_postgres "$ORQ_PG_BIN/psql" -h "$PG_SOCK" -p "$ORQ_PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

start_postgres() {
  mkdir -p "$PG_SOCK" "$(dirname "$PG_DATA")"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$ORQ_STATE_DIR/postgres"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "initialising PostgreSQL in $PG_DATA"
    as_postgres "$ORQ_PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$ORQ_LOG_DIR/initdb.log" 2>&1 || fail "initdb failed; see $ORQ_LOG_DIR/initdb.log"
  fi
  if ! as_postgres "$ORQ_PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    touch "$PG_LOG"; [ "$(id -u)" = 0 ] && chown postgres "$PG_LOG"
    as_postgres "$ORQ_PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 30 \
      -o "-p $ORQ_PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c fsync=${ORQ_PG_FSYNC:-on}" \
      start >/dev/null || fail "PostgreSQL did not start within 30 s; see $PG_LOG"
  fi
  bootstrap_postgres
}

# Roles and databases. orqestra_owner owns the schema and runs migrations; orqestra_app is what
# the services connect as: it owns nothing and can neither bypass RLS nor act as superuser.
bootstrap_postgres() {
  psql_super -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'orqestra_owner') THEN
    CREATE ROLE orqestra_owner LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'orqestra_app') THEN
    CREATE ROLE orqestra_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT;
  END IF;
END \$\$;
ALTER ROLE orqestra_owner PASSWORD '$ORQ_PG_OWNER_PASSWORD';
ALTER ROLE orqestra_app PASSWORD '$ORQ_PG_APP_PASSWORD';
SQL
  local db
  # The demo database, the tests' database, the gateway tests' own (their sweeper scans every row),
  # and the multi-instance deploy tests' own (their gateways' sweepers likewise; apps/api/test/deploy).
  for db in "$ORQ_DB_NAME" "${ORQ_DB_NAME}_test" "${ORQ_DB_NAME}_gwtest" "${ORQ_DB_NAME}_deploytest"; do
    if [ -z "$(psql_super -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      psql_super -d postgres -c "CREATE DATABASE \"$db\" OWNER orqestra_owner"
      psql_super -d "$db" -c "REVOKE ALL ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO orqestra_owner; REVOKE ALL ON DATABASE \"$db\" FROM PUBLIC; GRANT CONNECT ON DATABASE \"$db\" TO orqestra_app;"
    fi
  done
}

stop_postgres() {
  [ -f "$PG_DATA/PG_VERSION" ] || return 0
  as_postgres "$ORQ_PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
}

status_postgres() { as_postgres "$ORQ_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$ORQ_PG_PORT" 2>/dev/null; }

# ---------------------------------------------------------------- Redis
REDIS_DIR="$ORQ_STATE_DIR/redis"
install_redis() { command -v redis-server >/dev/null || apt_install redis-server; }
# Chromium for the browser tests (playwright-core drives it; nothing downloads a browser).
install_chromium() { [ -x /usr/bin/chromium ] || apt_install chromium; }

start_redis() {
  status_redis && return 0
  mkdir -p "$REDIS_DIR"
  cat >"$REDIS_DIR/redis.conf" <<CONF
# Generated by infra/stack.sh: the stack's own Redis instance (not the system one).
bind 127.0.0.1
port $ORQ_REDIS_PORT
daemonize yes
pidfile $ORQ_RUN_DIR/redis.pid
logfile $ORQ_LOG_DIR/redis.log
dir $REDIS_DIR
appendonly yes
appendfsync everysec
save ""
CONF
  redis-server "$REDIS_DIR/redis.conf" || fail "Redis did not start; see $ORQ_LOG_DIR/redis.log"
  wait_for redis 15 status_redis "$ORQ_LOG_DIR/redis.log"
}

stop_redis() { redis-cli -p "$ORQ_REDIS_PORT" shutdown >/dev/null 2>&1 || true; }
status_redis() { [ "$(redis-cli -p "$ORQ_REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

# ---------------------------------------------------------------- Kafka
KAFKA_LIBS="$ORQ_CACHE_DIR/kafka/$ORQ_KAFKA_VERSION/libs"
KAFKA_DIR="$ORQ_STATE_DIR/kafka"
KAFKA_LOG="$ORQ_LOG_DIR/kafka.log"
KAFKA_PID="$ORQ_RUN_DIR/kafka.pid"

install_kafka() {
  command -v java >/dev/null || apt_install default-jre-headless
  [ -f "$KAFKA_LIBS/.complete" ] && return
  command -v mvn >/dev/null || apt_install maven
  say "fetching Apache Kafka $ORQ_KAFKA_VERSION jars from Maven Central"
  rm -rf "$KAFKA_LIBS"
  mvn -B -q -f "$ORQ_ROOT/infra/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS" -DincludeScope=runtime >"$ORQ_LOG_DIR/kafka-fetch.log" 2>&1 \
    || fail "fetching Kafka jars failed; see $ORQ_LOG_DIR/kafka-fetch.log"
  touch "$KAFKA_LIBS/.complete"
}

kafka_java() { java -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$ORQ_ROOT/infra/kafka/log4j2.yaml" "$@"; }

start_kafka() {
  status_kafka && return 0
  mkdir -p "$KAFKA_DIR/data"
  sed -e "s|@PORT@|$ORQ_KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$ORQ_KAFKA_CONTROLLER_PORT|g" \
      -e "s|@DATA@|$KAFKA_DIR/data|g" -e "s|@PARTITIONS@|$ORQ_KAFKA_PARTITIONS|g" \
      "$ORQ_ROOT/infra/kafka/server.properties.in" >"$KAFKA_DIR/server.properties"
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    say "formatting Kafka storage in $KAFKA_DIR/data"
    kafka_java kafka.tools.StorageTool format --standalone -t "$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)" \
      -c "$KAFKA_DIR/server.properties" >"$ORQ_LOG_DIR/kafka-format.log" 2>&1 \
      || fail "formatting Kafka storage failed; see $ORQ_LOG_DIR/kafka-format.log"
  fi
  spawn "$KAFKA_PID" "$KAFKA_LOG" java -Xms256m -Xmx"$ORQ_KAFKA_HEAP" -XX:+UseG1GC -cp "$KAFKA_LIBS/*" \
    -Dlog4j2.configurationFile="$ORQ_ROOT/infra/kafka/log4j2.yaml" kafka.Kafka "$KAFKA_DIR/server.properties"
  # Readiness is checked from Node (a metadata request through the same client the services use).
  node "$ORQ_ROOT/infra/wait-kafka.mjs" "127.0.0.1:$ORQ_KAFKA_PORT" 60 \
    || fail "Kafka was not ready within 60 s; see $KAFKA_LOG"
}

stop_kafka() { stop_pidfile "$KAFKA_PID" 30; }
status_kafka() { pid_alive "$KAFKA_PID" && port_open "$ORQ_KAFKA_PORT"; }

# ---------------------------------------------------------------- Centrifugo
CENTRIFUGO_BIN="$ORQ_CACHE_DIR/centrifugo/$ORQ_CENTRIFUGO_VERSION/centrifugo"
CENTRIFUGO_LOG="$ORQ_LOG_DIR/centrifugo.log"
CENTRIFUGO_PID="$ORQ_RUN_DIR/centrifugo.pid"

install_centrifugo() {
  [ -x "$CENTRIFUGO_BIN" ] && return
  command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || apt_install golang-go
  command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
  say "building Centrifugo $ORQ_CENTRIFUGO_VERSION with go install (a few minutes, once per version)"
  GOBIN="$(dirname "$CENTRIFUGO_BIN")" go install \
    -ldflags "-X github.com/centrifugal/centrifugo/v6/internal/build.Version=${ORQ_CENTRIFUGO_VERSION#v}" \
    "github.com/centrifugal/centrifugo/v6@$ORQ_CENTRIFUGO_VERSION" \
    >"$ORQ_LOG_DIR/centrifugo-build.log" 2>&1 || fail "building Centrifugo failed; see $ORQ_LOG_DIR/centrifugo-build.log"
}

# Centrifugo reads infra/centrifugo/config.json; secrets, ports and origins come from the
# environment (CENTRIFUGO_* variables override the file).
centrifugo_env() {
  export CENTRIFUGO_HTTP_SERVER_PORT="$ORQ_CENTRIFUGO_PORT"
  export CENTRIFUGO_HTTP_SERVER_ADDRESS=127.0.0.1
  export CENTRIFUGO_CLIENT_TOKEN_HMAC_SECRET_KEY="$ORQ_CENTRIFUGO_HMAC_SECRET"
  export CENTRIFUGO_HTTP_API_KEY="$ORQ_CENTRIFUGO_API_KEY"
  export CENTRIFUGO_CLIENT_ALLOWED_ORIGINS="$ORQ_CENTRIFUGO_ALLOWED_ORIGINS"
  export CENTRIFUGO_ENGINE_REDIS_ADDRESS="redis://127.0.0.1:$ORQ_REDIS_PORT"
  # The services' own CENTRIFUGO_* settings (present when a test restarts Centrifugo) are not Centrifugo's.
  unset CENTRIFUGO_URL CENTRIFUGO_PUBLIC_URL CENTRIFUGO_API_KEY CENTRIFUGO_HMAC_SECRET
}

start_centrifugo() {
  status_centrifugo && return 0
  centrifugo_env
  "$CENTRIFUGO_BIN" checkconfig --config "$ORQ_ROOT/infra/centrifugo/config.json" >"$ORQ_LOG_DIR/centrifugo-checkconfig.log" 2>&1 \
    || fail "Centrifugo configuration is invalid; see $ORQ_LOG_DIR/centrifugo-checkconfig.log"
  spawn "$CENTRIFUGO_PID" "$CENTRIFUGO_LOG" "$CENTRIFUGO_BIN" --config "$ORQ_ROOT/infra/centrifugo/config.json"
  wait_for centrifugo 30 status_centrifugo "$CENTRIFUGO_LOG"
}

stop_centrifugo() { stop_pidfile "$CENTRIFUGO_PID" 15; }
status_centrifugo() { curl -fsS -m 2 "http://127.0.0.1:$ORQ_CENTRIFUGO_PORT/health" >/dev/null 2>&1; }

# ---------------------------------------------------------------- Orqestra's processes
# Built by `npm run build` (tsc); they read their settings from stack.env through with-env.sh.
install_api() { :; }
install_worker() { :; }
install_gateway() { :; }

start_app() {
  local name=$1 script=$2
  pid_alive "$ORQ_RUN_DIR/$name.pid" && return 0
  [ -f "$ORQ_ROOT/$script" ] || fail "$name is not built; run npm run build"
  API_PORT="$ORQ_API_PORT" GATEWAY_PORT="$ORQ_GATEWAY_PORT" WORKER_PORT="$ORQ_WORKER_PORT" \
    SYSTEM_PROBE_URLS="${SYSTEM_PROBE_URLS:-worker=http://127.0.0.1:$ORQ_WORKER_PORT,gateway=http://127.0.0.1:$ORQ_GATEWAY_PORT}" spawn_app "$name" bash "$ORQ_ROOT/infra/with-env.sh" node "$ORQ_ROOT/$script"
}

# spawn_app NAME COMMAND...: an app under infra/supervise.sh, which restarts it when it crashes (with
# back-off, logged, counted for `status`). NAME.pid is the supervisor, NAME.child.pid the app itself.
# NAME.env records the settings it was started with, so that `npm run up` restarts it when they change:
# those of the shell that ran `start` (APP_ENV_HASH), not the per-app variables launch_<app> adds
# (API_PORT, NODE_ENV ...), which restart-outdated-apps never sees and would always find changed.
spawn_app() {
  local name=$1
  shift
  echo "${APP_ENV_HASH:-$(app_env_hash)}" >"$ORQ_RUN_DIR/$name.env"
  spawn "$ORQ_RUN_DIR/$name.pid" "$ORQ_LOG_DIR/$name.log" bash "$ORQ_ROOT/infra/supervise.sh" "$name" "$ORQ_RUN_DIR" "$@"
}

# Stops the supervisor (which stops the app gracefully), and the app itself if it outlived it.
stop_app() {
  stop_pidfile "$ORQ_RUN_DIR/$1.pid" 20
  stop_pidfile "$ORQ_RUN_DIR/$1.child.pid" 5
  rm -f "$ORQ_RUN_DIR/$1.restarts" "$ORQ_RUN_DIR/$1.last-exit" "$ORQ_RUN_DIR/$1.env"
}

# The settings an app reads: every variable .env.example documents, as this shell has them.
app_env_hash() {
  local k
  for k in $(sed -n 's/^#* *\([A-Z][A-Z0-9_]*\)=.*/\1/p' "$ORQ_ROOT/.env.example" | sort -u); do
    printf '%s=%s\n' "$k" "${!k-}"
  done | sha256sum | cut -c1-16
}

# Apps started with other settings than this shell has (a changed .env or environment variable).
apps_env_changed() {
  local app now
  now=$(app_env_hash)
  for app in "${APPS[@]}"; do
    pid_alive "$ORQ_RUN_DIR/$app.pid" || continue
    [ "$(cat "$ORQ_RUN_DIR/$app.env" 2>/dev/null)" = "$now" ] || return 0
  done
  return 1
}
# Each app has launch_<app> (spawn) and ready_<app> (wait): `start` launches every app asked for
# first and then waits for them, so they start in parallel.
launch_api() { start_app api apps/api/dist/main.api.js; }
ready_api() { wait_for api 30 status_api "$ORQ_LOG_DIR/api.log"; }
launch_worker() { start_app worker apps/api/dist/main.worker.js; }
ready_worker() { wait_for worker 30 worker_consuming "$ORQ_LOG_DIR/worker.log"; }
worker_consuming() { status_worker && grep -q 'worker consuming' "$ORQ_LOG_DIR/worker.log"; }
stop_api() { stop_app api; }
stop_worker() { stop_app worker; }
status_api() { curl -fsS -m 2 "http://127.0.0.1:$ORQ_API_PORT/health/ready" >/dev/null 2>&1; }
status_worker() { pid_alive "$ORQ_RUN_DIR/worker.child.pid"; }
launch_gateway() { start_app gateway apps/gateway/dist/main.js; }
ready_gateway() { wait_for gateway 30 status_gateway "$ORQ_LOG_DIR/gateway.log"; }
stop_gateway() { stop_app gateway; }
status_gateway() { curl -fsS -m 2 "http://127.0.0.1:$ORQ_GATEWAY_PORT/health/ready" >/dev/null 2>&1; }

# The apps run the code they were started with: true when a build is newer than a running app.
apps_outdated() {
  local app
  for app in "${APPS[@]}"; do
    pid_alive "$ORQ_RUN_DIR/$app.pid" || continue
    if [ "$app" = admin ]; then admin_outdated && return 0; continue; fi
    # Built code, and the files the API serves as they are (the demo page under apps/*/public).
    [ -n "$(find "$ORQ_ROOT/apps" "$ORQ_ROOT/packages" \( -path '*/dist/*' -o -path '*/public/*' \) -not -path '*/node_modules/*' -type f -newer "$ORQ_RUN_DIR/$app.pid" -print -quit 2>/dev/null)" ] && return 0
  done
  return 1
}

# ---------------------------------------------------------------- helpers
# spawn PIDFILE LOG COMMAND...: starts a long-running server in the background and records the
# server's own pid (env, setsid and nohup exec into it, so $! is the server). The server gets only
# its own settings, not the stack's secrets, and its own session: a test that restarts a component
# must not leave it in the test runner's process group, where the runner's end would kill it.
spawn() {
  local pidfile=$1 log=$2
  shift 2
  env -u ORQ_PG_OWNER_PASSWORD -u ORQ_PG_APP_PASSWORD -u ORQ_CENTRIFUGO_API_KEY -u ORQ_CENTRIFUGO_HMAC_SECRET -u ORQ_CREDENTIALS_KEYS -u ORQ_ADMIN_JWT_SECRET \
    setsid nohup "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

pid_alive() {
  [ -f "$1" ] || return 1
  local pid
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  # kill -0 also succeeds for a zombie (exited, not yet reaped by its parent): that process is gone.
  [ "$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_pidfile() {
  local pidfile=$1 deadline=$2 pid
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((deadline * 5))); do kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# wait_for NAME SECONDS CHECK LOG: poll CHECK until it passes or the deadline runs out.
wait_for() {
  local name=$1 deadline=$(( $(date +%s) + $2 )) check=$3 log=$4
  until "$check"; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$name was not ready within $2 s; see $log"
    sleep 0.2
  done
}

write_stack_env() {
  # What the services and tests need to reach the stack (secrets included: mode 600).
  umask 077
  cat >"$ORQ_STACK_ENV" <<ENV
# Generated by infra/stack.sh from infra/env.sh and $ORQ_SECRETS_FILE; do not edit.
DATABASE_URL=postgres://orqestra_app:$ORQ_PG_APP_PASSWORD@127.0.0.1:$ORQ_PG_PORT/$ORQ_DB_NAME
DATABASE_OWNER_URL=postgres://orqestra_owner:$ORQ_PG_OWNER_PASSWORD@127.0.0.1:$ORQ_PG_PORT/$ORQ_DB_NAME
REDIS_URL=redis://127.0.0.1:$ORQ_REDIS_PORT
KAFKA_BROKERS=127.0.0.1:$ORQ_KAFKA_PORT
KAFKA_TOPIC_PARTITIONS=$ORQ_KAFKA_PARTITIONS
CENTRIFUGO_URL=http://127.0.0.1:$ORQ_CENTRIFUGO_PORT
CENTRIFUGO_API_KEY=$ORQ_CENTRIFUGO_API_KEY
CENTRIFUGO_HMAC_SECRET=$ORQ_CENTRIFUGO_HMAC_SECRET
CREDENTIALS_KEYS=$ORQ_CREDENTIALS_KEYS
ADMIN_JWT_SECRET=$ORQ_ADMIN_JWT_SECRET
ENV
  umask 022
}

status_line() {
  local c=$1 where
  case $c in
    postgres) where="127.0.0.1:$ORQ_PG_PORT  log $PG_LOG" ;;
    redis) where="127.0.0.1:$ORQ_REDIS_PORT  log $ORQ_LOG_DIR/redis.log" ;;
    kafka) where="127.0.0.1:$ORQ_KAFKA_PORT  log $KAFKA_LOG" ;;
    centrifugo) where="http://127.0.0.1:$ORQ_CENTRIFUGO_PORT  log $CENTRIFUGO_LOG" ;;
    api) where="http://127.0.0.1:$ORQ_API_PORT  log $ORQ_LOG_DIR/api.log" ;;
    worker) where="http://127.0.0.1:$ORQ_WORKER_PORT/metrics  log $ORQ_LOG_DIR/worker.log" ;;
    gateway) where="http://127.0.0.1:$ORQ_GATEWAY_PORT/metrics  log $ORQ_LOG_DIR/gateway.log" ;;
    admin) where=$(admin_status_where) ;;
  esac
  local restarts
  restarts=$(cat "$ORQ_RUN_DIR/$c.restarts" 2>/dev/null || echo 0)
  [ "$restarts" -gt 0 ] && where="$where  (restarted $restarts×; last: $(cat "$ORQ_RUN_DIR/$c.last-exit" 2>/dev/null))"
  if "status_$c"; then printf '  %-11s \033[32mup\033[0m    %s\n' "$c" "$where"; return 0
  else printf '  %-11s \033[31mdown\033[0m  %s\n' "$c" "$where"; return 1; fi
}

main() {
  local cmd=${1:-status}; shift || true
  local only=("$@")
  if [ ${#only[@]} -eq 0 ]; then
    case $cmd in
      start|install) only=("${COMPONENTS[@]}") ;;
      *) only=("${COMPONENTS[@]}" "${APPS[@]}") ;;
    esac
  fi
  ensure_dirs
  case $cmd in
    install) for c in "${only[@]}"; do "install_$c"; done ;;
    start)
      ensure_secrets
      for c in "${only[@]}"; do "install_$c"; done
      write_stack_env
      APP_ENV_HASH=$(app_env_hash)
      local launched=()
      for c in "${only[@]}"; do
        if declare -F "launch_$c" >/dev/null; then "launch_$c"; launched+=("$c"); else "start_$c"; fi
      done
      for c in "${launched[@]}"; do "ready_$c"; done
      write_stack_env ;;
    restart-outdated-apps)
      # After a build: restart the apps only if they run older code than what was just built, or
      # were started with other settings than this shell has.
      local why=''
      apps_outdated && why='the build changed'
      apps_env_changed && why="${why:+$why; }their settings changed (.env or the environment)"
      if [ -n "$why" ]; then
        say "restarting the running apps: $why"
        for ((i = ${#APPS[@]} - 1; i >= 0; i--)); do "stop_${APPS[$i]}" & done
        wait
      fi ;;
    stop)
      for ((i = ${#only[@]} - 1; i >= 0; i--)); do "stop_${only[$i]}"; done ;;
    status)
      local rc=0
      echo "Orqestra stack (state in $ORQ_STATE_DIR):"
      for c in "${only[@]}"; do status_line "$c" || rc=1; done
      return $rc ;;
    *) fail "usage: infra/stack.sh install|start|stop|status|restart-outdated-apps [${COMPONENTS[*]} ${APPS[*]}]" ;;
  esac
}

main "$@"
