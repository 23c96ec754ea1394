# syntax=docker/dockerfile:1
# Orqestra admin console (Next.js): talks to the admin API over HTTP (ADMIN_API_URL).
#   docker build -f deploy/docker/admin.Dockerfile -t orqestra-admin .   (from the repository root)
# Serves on 3001; GET /healthz answers when the process is up. The API must list this console's
# origin in ADMIN_UI_ORIGIN.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- builder: every dependency (the lock decides), then next build (nothing fetched at build time).
FROM ${NODE_IMAGE} AS builder
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /src
COPY . .
RUN npm ci --ignore-scripts --no-audit --no-fund
WORKDIR /src/apps/admin
RUN node ../../node_modules/next/dist/bin/next build \
 && rm -rf .next/cache

# ---- runtime dependencies only: the admin workspace, without devDependencies.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=builder /src/package.json /src/package-lock.json ./
COPY --from=builder /src/apps/admin/package.json ./apps/admin/package.json
RUN npm ci --omit=dev --workspace @orqestra/admin --include-workspace-root=false --ignore-scripts --no-audit --no-fund

# ---- final image: the build and production node_modules; runs as uid 1000 (the image's `node` user).
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    ADMIN_API_URL=http://api:3000 \
    HEALTHCHECK_URL=http://127.0.0.1:3001/healthz
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=builder --chown=root:root /src/package.json ./package.json
COPY --from=builder --chown=root:root /src/apps/admin/package.json /src/apps/admin/next.config.ts ./apps/admin/
COPY --from=builder --chown=root:root /src/apps/admin/.next ./apps/admin/.next
USER 1000:1000
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.HEALTHCHECK_URL).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "node_modules/next/dist/bin/next", "start", "apps/admin", "-H", "0.0.0.0", "-p", "3001"]
