#!/usr/bin/env bash
# npm run up: install what is missing, start the stack, migrate, seed a demo tenant, print how to use it.
# Sourced instead of run (infra/up.serial.spec.ts does), it only defines its functions.
set -euo pipefail
# shellcheck source=infra/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# shellcheck source=infra/provision.sh
. "$ORQ_ROOT/infra/provision.sh"
# shellcheck source=infra/admin-console.sh
. "$ORQ_ROOT/infra/admin-console.sh"

cli() { bash "$ORQ_ROOT/infra/with-env.sh" node "$ORQ_ROOT/apps/api/dist/main.cli.js" "$@"; }
DEMO_FILE="$ORQ_STATE_DIR/demo.env"

# start_apps APP...: Orqestra's own processes run the code just built with this shell's settings:
# running ones are restarted (saying why) when the build or their environment changed (a changed
# .env, or a variable such as ALLOW_PRIVATE_PROVIDER_URLS set for this run), then the apps are
# started in parallel.
start_apps() {
  bash "$ORQ_ROOT/infra/stack.sh" restart-outdated-apps
  bash "$ORQ_ROOT/infra/stack.sh" start "$@"
}

# demo_operator_line MUST_CHANGE: the summary's operator line. The temporary password is shown only
# while it still signs in (MUST_CHANGE = t, the operator's must_change_password): after the first
# sign-in the operator chose their own, which is stored nowhere but as a hash, so the line says
# so and the stale password is removed from $DEMO_FILE (MUST_CHANGE = f). Empty: not known (the
# database did not answer), the line is kept as it was.
demo_operator_line() {
  if [ "$1" = f ]; then
    if grep -q '^DEMO_OPERATOR_PASSWORD=.' "$DEMO_FILE"; then
      sed -i 's/^DEMO_OPERATOR_PASSWORD=.*/# The temporary password was changed at first sign-in.\nDEMO_OPERATOR_PASSWORD=/' "$DEMO_FILE"
    fi
    echo "$DEMO_OPERATOR_USERNAME  (the temporary password was changed at first sign-in; sign in with the one you chose)"
  else
    echo "$DEMO_OPERATOR_USERNAME / $DEMO_OPERATOR_PASSWORD  (temporary: you choose your own at first sign-in)"
  fi
}

# The demo operator's must_change_password (t or f), empty when the database does not answer.
demo_operator_must_change() {
  as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
  as_pg "$ORQ_PG_BIN/psql" -h "$ORQ_STATE_DIR/postgres/run" -p "$ORQ_PG_PORT" -U postgres -d "$ORQ_DB_NAME" -qAt \
    -c "SELECT must_change_password FROM operators WHERE username = '$DEMO_OPERATOR_USERNAME'" 2>/dev/null || true
}

main() {
  started=$(date +%s)
  provision
  admin_console_build

  cli migrate --quiet
  cli topics ensure --quiet

  start_apps api worker gateway admin

  if [ ! -f "$DEMO_FILE" ]; then
    say "seeding the demo tenant and operator"
    umask 077
    tenant_json=$(cli tenant create --name "Demo" --json)
    operator_password=$(openssl rand -base64 18 | tr -d '/+=')
    cli operator create --username admin --password "$operator_password" --quiet
    node -e '
      const t = JSON.parse(process.argv[1]);
      console.log(`DEMO_TENANT_ID=${t.tenantId}\nDEMO_API_KEY=${t.apiKey}\nDEMO_OPERATOR_USERNAME=admin\nDEMO_OPERATOR_PASSWORD=${process.argv[2]}`);
    ' "$tenant_json" "$operator_password" >"$DEMO_FILE"
    umask 022
  fi
  # shellcheck disable=SC1090
  . "$DEMO_FILE"
  print_summary "$(demo_operator_must_change)" "$(( $(date +%s) - started ))"
}

# print_summary MUST_CHANGE SECONDS: how to use the stack, with the demo credentials of $DEMO_FILE
# (the operator line as demo_operator_line MUST_CHANGE says) and the time npm run up took.
print_summary() {
  # shellcheck disable=SC1090
  . "$DEMO_FILE"
  local operator_line
  operator_line=$(demo_operator_line "$1")
  cat <<SUMMARY

Orqestra is up ($2 s).
  PostgreSQL   postgres://127.0.0.1:$ORQ_PG_PORT/$ORQ_DB_NAME   (services connect as orqestra_app)
  Redis        redis://127.0.0.1:$ORQ_REDIS_PORT
  Kafka        127.0.0.1:$ORQ_KAFKA_PORT   (KRaft, Apache Kafka $ORQ_KAFKA_VERSION)
  Centrifugo   http://127.0.0.1:$ORQ_CENTRIFUGO_PORT   (WebSocket: ws://127.0.0.1:$ORQ_CENTRIFUGO_PORT/connection/websocket)
  API          http://127.0.0.1:$ORQ_API_PORT   (docs: http://127.0.0.1:$ORQ_API_PORT/api/docs)
  Worker       consuming tenant.event.received and notification.dlq (log: $ORQ_LOG_DIR/worker.log)
  Console      $ADMIN_UI_ORIGIN   (sign in as the operator below; see docs/console.md)
  Gateway      consuming notification.dispatch and the retry topic (metrics: http://127.0.0.1:$ORQ_GATEWAY_PORT/metrics)

Try it:
  curl -s -X POST http://127.0.0.1:$ORQ_API_PORT/api/v1/events/trigger -H "x-api-key: $DEMO_API_KEY" \\
    -H 'content-type: application/json' \\
    -d '{"eventType":"global.info","channels":["EMAIL","PUSH"],"payload":{"userId":"u-1","recipientEmail":"ada@example.com"},"variables":{"title":"Hello","message":"It works"}}'
  In-app inbox demo for user u-1 (the PUSH above lands under its bell; see docs/realtime.md):
    http://127.0.0.1:$ORQ_API_PORT/demo/inbox#apiKey=$DEMO_API_KEY&userId=u-1

Demo credentials (kept in $DEMO_FILE):
  tenant id        $DEMO_TENANT_ID
  tenant API key   $DEMO_API_KEY
  operator         $operator_line
  console sign-in  $ADMIN_UI_ORIGIN/login  as "$DEMO_OPERATOR_USERNAME" with the password above (Platform operator tab)

Connection settings and secrets: $ORQ_STACK_ENV
Logs: $ORQ_LOG_DIR     Status: npm run stack:status     Stop: npm run down
Operator CLI: npm run orqestra -- --help
SUMMARY
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
