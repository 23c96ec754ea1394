"""House rules for the rendered Helm chart, beyond the Kubernetes schemas.

Usage: python check-manifests.py RENDERED.yaml
Every long-running Deployment runs as non-root with a read-only root filesystem, has liveness and
readiness probes on /health/live and /health/ready, resource requests and a PodDisruptionBudget
selecting exactly its pods; migrations run as a Helm hook Job; secrets are only referenced, never
rendered (no Secret object, no literal value for a secret variable).
"""
import sys

import yaml

SECRET_VARIABLES = {"DATABASE_URL", "DATABASE_OWNER_URL", "REDIS_URL", "CENTRIFUGO_API_KEY", "CENTRIFUGO_HMAC_SECRET", "CREDENTIALS_KEYS", "ADMIN_JWT_SECRET"}


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        docs = [d for d in yaml.safe_load_all(handle) if d]
    problems: list[str] = []
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    pdbs = [d for d in docs if d["kind"] == "PodDisruptionBudget"]
    jobs = [d for d in docs if d["kind"] == "Job"]
    if not deployments:
        problems.append("no Deployment rendered")
    for doc in docs:
        if doc["kind"] == "Secret":
            problems.append(f"Secret {doc['metadata']['name']} is rendered: secrets must come from an existing Secret")
    for workload in deployments + jobs:
        name = f"{workload['kind']} {workload['metadata']['name']}"
        pod = workload["spec"]["template"]["spec"]
        if pod.get("securityContext", {}).get("runAsNonRoot") is not True:
            problems.append(f"{name}: pod securityContext.runAsNonRoot is not true")
        for container in pod["containers"]:
            security = container.get("securityContext", {})
            if security.get("allowPrivilegeEscalation") is not False or security.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{name}/{container['name']}: must not escalate privileges and must have a read-only root filesystem")
            if not container.get("resources", {}).get("requests"):
                problems.append(f"{name}/{container['name']}: no resource requests")
            for env in container.get("env", []):
                if env["name"] in SECRET_VARIABLES and "value" in env:
                    problems.append(f"{name}/{container['name']}: {env['name']} has a literal value; reference a Secret")
            if workload["kind"] == "Deployment":
                live = container.get("livenessProbe", {}).get("httpGet", {}).get("path")
                ready = container.get("readinessProbe", {}).get("httpGet", {}).get("path")
                if live != "/health/live" or ready != "/health/ready":
                    problems.append(f"{name}/{container['name']}: probes must be /health/live and /health/ready (got {live}, {ready})")
    for deployment in deployments:
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        matching = [p for p in pdbs if all(labels.get(k) == v for k, v in p["spec"]["selector"]["matchLabels"].items())]
        if len(matching) != 1:
            problems.append(f"Deployment {deployment['metadata']['name']}: {len(matching)} PodDisruptionBudgets select its pods (want 1)")
    for job in jobs:
        hooks = job["metadata"].get("annotations", {}).get("helm.sh/hook", "")
        if "pre-install" not in hooks or "pre-upgrade" not in hooks:
            problems.append(f"Job {job['metadata']['name']}: must be a pre-install,pre-upgrade Helm hook")
    for problem in problems:
        print(f"  {problem}")
    print(f"{path}: {len(deployments)} Deployments, {len(pdbs)} PodDisruptionBudgets, {len(jobs)} Jobs; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
