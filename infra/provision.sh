# shellcheck shell=bash
# Shared by up.sh and test.sh: npm packages, the stack, the build. Sourced after env.sh.

ensure_node_modules() {
  cd "$ORQ_ROOT"
  local marker=node_modules/.package-lock.json
  if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ] || [ package.json -nt "$marker" ]; then
    say "installing npm packages"
    if [ -f package-lock.json ] && [ ! -d node_modules ]; then npm ci --no-audit --no-fund >"$ORQ_LOG_DIR/npm.log" 2>&1
    else npm install --no-audit --no-fund >"$ORQ_LOG_DIR/npm.log" 2>&1; fi || fail "npm install failed; see $ORQ_LOG_DIR/npm.log"
    touch "$marker"
  fi
}

build_all() {
  cd "$ORQ_ROOT"
  npx tsc -b tsconfig.build.json >"$ORQ_LOG_DIR/build.log" 2>&1 || { cat "$ORQ_LOG_DIR/build.log" >&2; fail "TypeScript build failed (log: $ORQ_LOG_DIR/build.log)"; }
}

# The fuzzing suite's Schemathesis, in a virtual environment under the state directory
# (python3-venv from Debian when missing): infra/schemathesis.sh.
ensure_schemathesis() {
  bash "$ORQ_ROOT/infra/schemathesis.sh"
}

provision() {
  mkdir -p "$ORQ_LOG_DIR"
  ensure_node_modules
  bash "$ORQ_ROOT/infra/stack.sh" start
  build_all
}
