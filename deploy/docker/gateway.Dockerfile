# syntax=docker/dockerfile:1
# Orqestra dispatch gateway.
#   docker build -f deploy/docker/gateway.Dockerfile -t orqestra-gateway .   (from the repository root)
# Health and metrics on GATEWAY_PORT (3002): /health/live, /health/ready, /metrics.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- builder: every dependency (the lock decides), then tsc -b.
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

# ---- runtime dependencies only: the gateway workspace, without devDependencies.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=builder /src/package.json /src/package-lock.json ./
COPY --from=builder /out/packages ./packages
COPY --from=builder /src/apps/gateway/package.json ./apps/gateway/package.json
RUN npm ci --omit=dev --workspace @orqestra/gateway --include-workspace-root=false --ignore-scripts --no-audit --no-fund

# ---- final image: built code and production node_modules; runs as `node`.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    GATEWAY_HOST=0.0.0.0 \
    HEALTHCHECK_URL=http://127.0.0.1:3002/health/ready
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=deps --chown=root:root /app/packages ./packages
COPY --from=builder --chown=root:root /src/package.json ./package.json
COPY --from=builder --chown=root:root /src/apps/gateway/package.json ./apps/gateway/package.json
COPY --from=builder --chown=root:root /src/apps/gateway/dist ./apps/gateway/dist
USER 1000:1000
EXPOSE 3002
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.HEALTHCHECK_URL).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/gateway/dist/main.js"]
