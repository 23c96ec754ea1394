#!/usr/bin/env bash
# Validates deploy/ without Docker or a cluster (npm test runs it; docs/deploy.md):
#   - the Dockerfiles with hadolint
#   - deploy/compose.yaml against the compose specification's JSON schema (check-jsonschema)
#   - the Helm chart with `helm lint --strict`, and its `helm template` output (default values and
#     each file in ci/) against Kubernetes' JSON schemas (kubernetes-validate --strict, offline)
#     and the house rules of validate/check-manifests.py.
# Installs what is missing: Helm v4 with `go install` (cached per version under $ORQ_CACHE_DIR,
# like Centrifugo), the Python validators in a venv under $ORQ_CACHE_DIR (pinned in
# validate/requirements.txt). Usage: bash deploy/validate.sh [REPORT.json]
set -uo pipefail
# shellcheck source=infra/env.sh
. "$(dirname "${BASH_SOURCE[0]}")/../infra/env.sh"
report=${1:-}
: "${ORQ_HELM_VERSION:=v4.3.2}"
# Oldest Kubernetes the chart supports (Chart.yaml kubeVersion) and the newest the validator knows.
K8S_VERSIONS=(1.27.0 1.37.0)
DEPLOY="$ORQ_ROOT/deploy"
CHART="$DEPLOY/helm/orqestra"
HELM_BIN="$ORQ_CACHE_DIR/helm/$ORQ_HELM_VERSION/helm"
VENV="$ORQ_CACHE_DIR/deploy-venv/$(sha256sum "$DEPLOY/validate/requirements.txt" | cut -c1-12)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$ORQ_LOG_DIR"

install_helm() {
  [ -x "$HELM_BIN" ] && return 0
  command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || { say "installing Go (Debian) for Helm"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q golang-go >>"$ORQ_LOG_DIR/apt.log" 2>&1; }
  say "building Helm $ORQ_HELM_VERSION with go install (a few minutes, once per version)"
  GOBIN="$(dirname "$HELM_BIN")" go install "helm.sh/helm/v4/cmd/helm@$ORQ_HELM_VERSION" >"$ORQ_LOG_DIR/helm-build.log" 2>&1 \
    || fail "building Helm failed; see $ORQ_LOG_DIR/helm-build.log"
}

install_validators() {
  [ -f "$VENV/.complete" ] && return 0
  say "installing the deploy validators into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV" >"$ORQ_LOG_DIR/deploy-venv.log" 2>&1 || {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >>"$ORQ_LOG_DIR/apt.log" 2>&1
    python3 -m venv "$VENV" >"$ORQ_LOG_DIR/deploy-venv.log" 2>&1
  } || fail "python3 -m venv failed; see $ORQ_LOG_DIR/deploy-venv.log"
  "$VENV/bin/pip" install -q -r "$DEPLOY/validate/requirements.txt" >>"$ORQ_LOG_DIR/deploy-venv.log" 2>&1 \
    || { rm -rf "$VENV"; fail "installing the validators failed; see $ORQ_LOG_DIR/deploy-venv.log"; }
  touch "$VENV/.complete"
}

passed=0 failed=0
check() {
  # check NAME COMMAND...: runs one validation, prints its output only when it fails.
  local name=$1; shift
  if "$@" >"$WORK/out" 2>&1; then
    passed=$((passed + 1)); printf '  \033[32mok\033[0m    %s\n' "$name"
  else
    failed=$((failed + 1)); printf '  \033[31mFAIL\033[0m  %s\n' "$name"; sed 's/^/        /' "$WORK/out"
    return 1
  fi
}

say "deploy validation"
install_helm
install_validators
cd "$ORQ_ROOT" || exit 1

mapfile -t dockerfiles < <(ls deploy/docker/*.Dockerfile apps/*/Dockerfile 2>/dev/null)
for file in "${dockerfiles[@]}"; do
  check "hadolint $file" "$VENV/bin/hadolint" --config "$DEPLOY/validate/hadolint.yaml" "$file"
done
check "compose.yaml against the compose specification" "$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec deploy/compose.yaml

values_sets=("default")
for file in "$CHART"/ci/*.yaml; do [ -f "$file" ] && values_sets+=("$file"); done
for values in "${values_sets[@]}"; do
  label=$(basename "$values" .yaml)
  rendered="$WORK/$label.yaml"
  args=()
  [ "$values" = default ] || args=(-f "$values")
  check "helm lint --strict ($label values)" "$HELM_BIN" lint --strict "$CHART" "${args[@]}"
  # The checks of the rendered manifests run only on a rendering (on nothing they would pass vacuously).
  check "helm template ($label values)" "$HELM_BIN" template orqestra "$CHART" --namespace orqestra "${args[@]}" --output-dir "$WORK/$label-dir" || continue
  # One stream of documents for the validators (helm wrote one file per template, hooks included).
  find "$WORK/$label-dir" -name '*.yaml' -print0 | sort -z | xargs -0 -I{} sh -c 'cat "$1"; printf "\n---\n"' _ {} >"$rendered"
  for version in "${K8S_VERSIONS[@]}"; do
    check "Kubernetes $version schemas, strict ($label values)" "$VENV/bin/kubernetes-validate" --strict --quiet -k "$version" "$rendered"
  done
  check "house rules of the manifests ($label values)" "$VENV/bin/python" "$DEPLOY/validate/check-manifests.py" "$rendered"
done

echo "deploy validation: $passed passed, $failed failed"
if [ -n "$report" ]; then
  printf '{"name":"deploy validation","passed":%d,"failed":%d}\n' "$passed" "$failed" >"$report"
fi
[ "$failed" -eq 0 ]
