# syntax=docker/dockerfile:1
# Orqestra API, worker and operator CLI: one image, three commands.
#   docker build -f deploy/docker/api.Dockerfile -t orqestra-api .      (from the repository root)
#   API:     node apps/api/dist/main.api.js     (the default command; port 3000)
#   worker:  node apps/api/dist/main.worker.js  (health and metrics on WORKER_PORT, 3003)
#   CLI:     node apps/api/dist/main.cli.js migrate
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- builder: every dependency (the lock decides), then tsc -b (NestJS needs tsc's decorator metadata).
FROM ${NODE_IMAGE} AS builder
WORKDIR /src
COPY . .
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npx tsc -b tsconfig.build.json
# What the runtime needs of every shared package: its package.json, dist/ and SQL migrations.
RUN for dir in packages/*/; do \
      mkdir -p "/out/$dir" && cp "$dir/package.json" "/out/$dir"; \
      for part in dist migrations; do if [ -d "$dir/$part" ]; then cp -r "$dir/$part" "/out/$dir"; fi; done; \
    done

# ---- runtime dependencies only: the workspaces this image runs, without devDependencies.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=builder /src/package.json /src/package-lock.json ./
COPY --from=builder /out/packages ./packages
COPY --from=builder /src/apps/api/package.json ./apps/api/package.json
RUN npm ci --omit=dev --workspace @orqestra/api --include-workspace-root=false --ignore-scripts --no-audit --no-fund

# ---- final image: built code, migrations, the demo page, production node_modules; runs as `node`.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    API_HOST=0.0.0.0 \
    WORKER_HOST=0.0.0.0 \
    HEALTHCHECK_URL=http://127.0.0.1:3000/health/ready
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=deps --chown=root:root /app/packages ./packages
COPY --from=builder --chown=root:root /src/package.json ./package.json
COPY --from=builder --chown=root:root /src/apps/api/package.json ./apps/api/package.json
COPY --from=builder --chown=root:root /src/apps/api/dist ./apps/api/dist
COPY --from=builder --chown=root:root /src/apps/api/public ./apps/api/public
# The code belongs to root and is read-only for the process; the process is the image's `node` user, by number (uid 1000) so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 3000 3003
# The worker's container sets HEALTHCHECK_URL to its own port (compose and the Helm chart do).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.HEALTHCHECK_URL).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/api/dist/main.api.js"]
