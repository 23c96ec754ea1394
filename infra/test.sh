#!/usr/bin/env bash
# npm test: provision like npm run up (minus the long-running app processes), build, lint (eslint and the import rules),
# type-check, then run every suite: unit and integration in parallel, destructive ones serially
# after them. Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
# shellcheck source=infra/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# shellcheck source=infra/provision.sh
. "$ORQ_ROOT/infra/provision.sh"
set -e
provision
bash "$ORQ_ROOT/infra/stack.sh" install chromium
ensure_schemathesis
# shellcheck source=infra/admin-console.sh
. "$ORQ_ROOT/infra/admin-console.sh"
admin_console_build
set +e
cd "$ORQ_ROOT"

reports="$ORQ_STATE_DIR/test-reports"
rm -rf "$reports"; mkdir -p "$reports"
status=0

say "lint and type-check"
if npm run -s lint && npx tsc -p tsconfig.test.json --noEmit && npx tsc -p packages/inbox/tsconfig.json --noEmit; then
  echo '{"name":"lint+typecheck","passed":1,"failed":0}' >"$reports/static.json"
else
  echo '{"name":"lint+typecheck","passed":0,"failed":1}' >"$reports/static.json"; status=1
fi

# Dockerfiles, compose file and Helm chart (hadolint, compose-spec schema, helm lint/template +
# Kubernetes schemas); installs Helm and the validators on first use. See docs/deploy.md.
bash deploy/validate.sh "$reports/deploy.json" || { status=1; [ -f "$reports/deploy.json" ] || echo '{"name":"deploy validation","passed":0,"failed":1}' >"$reports/deploy.json"; }

vitest() {
  local name=$1; shift
  bash infra/with-env.sh npx vitest run "$@" --reporter=default --reporter=json --outputFile="$reports/$name.json" || status=1
}
say "unit and integration suites"
vitest parallel --project unit --project int
say "serial suites (break shared infrastructure on purpose)"
vitest serial --project serial --passWithNoTests --no-file-parallelism

node infra/test-summary.mjs "$reports" || status=1
exit $status
