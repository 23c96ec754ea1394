# shellcheck shell=bash
# The admin console (apps/admin, Next.js) as a component of the local stack, sourced by infra/stack.sh
# (component `admin`: install/launch/ready/stop/status) and by infra/up.sh and infra/test.sh (build).
#   admin_console_build   production build (next build), only when its sources changed since the last one
# It runs as `next start` at ADMIN_UI_ORIGIN (default http://127.0.0.1:3001) and forwards /api/* to the
# API at 127.0.0.1:$ORQ_API_PORT, so the browser speaks to one origin (see docs/console.md).

: "${ADMIN_UI_ORIGIN:=http://127.0.0.1:3001}"
ORQ_ADMIN_DIR="$ORQ_ROOT/apps/admin"
ORQ_ADMIN_HOST=$(node -e 'console.log(new URL(process.argv[1]).hostname)' "$ADMIN_UI_ORIGIN")
ORQ_ADMIN_PORT=$(node -e 'const u = new URL(process.argv[1]); console.log(u.port || (u.protocol === "https:" ? 443 : 80))' "$ADMIN_UI_ORIGIN")
ORQ_ADMIN_BUILD_ID="$ORQ_ADMIN_DIR/.next/BUILD_ID"
export ADMIN_UI_ORIGIN ORQ_ADMIN_PORT

# True when a file the console is built from is newer than its last build (or there is none).
admin_console_stale() {
  [ -f "$ORQ_ADMIN_BUILD_ID" ] || return 0
  [ -n "$(find "$ORQ_ADMIN_DIR" \( -path "$ORQ_ADMIN_DIR/.next" -o -path "$ORQ_ADMIN_DIR/node_modules" -o -path "$ORQ_ADMIN_DIR/test" \) -prune -o \
    -type f -newer "$ORQ_ADMIN_BUILD_ID" -print -quit 2>/dev/null)" ]
}

admin_console_build() {
  admin_console_stale || return 0
  say "building the admin console (next build; a minute or two)"
  (cd "$ORQ_ADMIN_DIR" && NEXT_TELEMETRY_DISABLED=1 node "$ORQ_ROOT/node_modules/next/dist/bin/next" build) >"$ORQ_LOG_DIR/admin-build.log" 2>&1 \
    || fail "building the admin console failed; see $ORQ_LOG_DIR/admin-build.log"
}

install_admin() { :; }
launch_admin() {
  pid_alive "$ORQ_RUN_DIR/admin.pid" && return 0
  [ -f "$ORQ_ADMIN_BUILD_ID" ] || fail "the admin console is not built; run npm run up"
  NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production ADMIN_API_URL="http://127.0.0.1:$ORQ_API_PORT" spawn_app admin \
    node "$ORQ_ROOT/node_modules/next/dist/bin/next" start "$ORQ_ADMIN_DIR" -H "$ORQ_ADMIN_HOST" -p "$ORQ_ADMIN_PORT"
}
ready_admin() { wait_for admin 60 status_admin "$ORQ_LOG_DIR/admin.log"; }
stop_admin() { stop_app admin; }
status_admin() { curl -fsS -m 2 "http://$ORQ_ADMIN_HOST:$ORQ_ADMIN_PORT/healthz" >/dev/null 2>&1; }
# The running console serves an older build than the one on disk.
admin_outdated() { pid_alive "$ORQ_RUN_DIR/admin.pid" && [ "$ORQ_ADMIN_BUILD_ID" -nt "$ORQ_RUN_DIR/admin.pid" ]; }
admin_status_where() { echo "$ADMIN_UI_ORIGIN  log $ORQ_LOG_DIR/admin.log"; }
