#!/usr/bin/env bash
# infra/supervise.sh NAME RUN_DIR COMMAND...: keeps one of Orqestra's processes running, as a
# process manager (systemd's Restart=always, a Kubernetes Deployment) does in production. When the
# process exits by itself (a crash, kill -9), it is started again after a back-off that doubles from
# 1 s to 30 s and resets once it has stayed up for a minute; each restart is written to the
# process's log and counted in RUN_DIR/NAME.restarts, which `npm run stack:status` shows.
# SIGTERM or SIGINT stop the process (SIGTERM, its graceful shutdown) and then the supervisor.
# RUN_DIR/NAME.child.pid holds the supervised process's own pid.
set -uo pipefail
name=$1 run_dir=$2
shift 2
child_pidfile="$run_dir/$name.child.pid"
restarts_file="$run_dir/$name.restarts"
echo 0 >"$restarts_file"

stopping=0 child='' sleeper=''
stop() {
  stopping=1
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
}
trap stop TERM INT

delay=1
while :; do
  started=$(date +%s)
  "$@" &
  child=$!
  echo "$child" >"$child_pidfile"
  wait "$child"
  status=$?
  # A trapped signal ends `wait` early: wait again until the process itself has exited.
  while kill -0 "$child" 2>/dev/null; do
    wait "$child"
    status=$?
  done
  child=''
  [ "$stopping" = 1 ] && break
  up=$(($(date +%s) - started))
  [ "$up" -ge 60 ] && delay=1
  restarts=$(($(cat "$restarts_file" 2>/dev/null || echo 0) + 1))
  echo "$restarts" >"$restarts_file"
  how="status $status"
  [ "$status" -gt 128 ] && how="signal $((status - 128))"
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $name exited ($how) after ${up} s; restart $restarts in ${delay} s" >"$run_dir/$name.last-exit"
  echo "[supervisor] $(cat "$run_dir/$name.last-exit")"
  sleep "$delay" &
  sleeper=$!
  wait "$sleeper" 2>/dev/null
  sleeper=''
  [ "$stopping" = 1 ] && break
  delay=$((delay * 2 > 30 ? 30 : delay * 2))
done
rm -f "$child_pidfile"
