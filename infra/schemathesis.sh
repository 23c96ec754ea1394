#!/usr/bin/env bash
# Schemathesis (schema-driven API fuzzing, issue 13) in its own virtual environment under the
# state directory: $ORQ_STATE_DIR/venv-schemathesis. Idempotent: installs python3-venv from
# Debian when missing, creates the venv and pins the version below. Used by npm test and npm run fuzz.
set -euo pipefail
# shellcheck source=infra/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
SCHEMATHESIS_VERSION=4.32.5
venv="$ORQ_STATE_DIR/venv-schemathesis"
mkdir -p "$ORQ_LOG_DIR"

if [ "$("$venv/bin/st" --version 2>/dev/null | awk '{print $NF}')" = "$SCHEMATHESIS_VERSION" ]; then exit 0; fi
command -v python3 >/dev/null || fail "python3 is required for the fuzzing suite (apt-get install python3)"
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  [ "$(id -u)" = 0 ] || fail "need root to install python3-venv (the fuzzing suite's virtual environment)"
  say "installing python3-venv"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-venv >>"$ORQ_LOG_DIR/apt.log" 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$ORQ_LOG_DIR/apt.log" 2>&1 \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-venv >>"$ORQ_LOG_DIR/apt.log" 2>&1; } \
    || fail "apt-get install python3-venv failed; see $ORQ_LOG_DIR/apt.log"
fi
say "installing schemathesis $SCHEMATHESIS_VERSION in $venv"
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >"$ORQ_LOG_DIR/schemathesis-install.log" 2>&1 \
  || fail "pip install schemathesis failed; see $ORQ_LOG_DIR/schemathesis-install.log"
