#!/usr/bin/env bash
# Runs a command with the stack's connection settings ($ORQ_STATE_DIR/stack.env) in its
# environment. Variables already set win, so production-style overrides keep working.
set -euo pipefail
# shellcheck source=infra/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
if [ -f "$ORQ_STACK_ENV" ]; then
  while IFS='=' read -r key value; do
    case $key in ''|'#'*) continue ;; esac
    [ -n "${!key+x}" ] || export "$key=$value"
  done <"$ORQ_STACK_ENV"
fi
exec "$@"
