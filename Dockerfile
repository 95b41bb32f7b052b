# syntax=docker/dockerfile:1.7
# One image for every `radar` command: the chart (deploy/helm/upgrade-radar) runs it as
# `radar webhook`, `radar worker` and `radar scheduler`; `docker run IMAGE ingest --file ...` works too.
#   docker build -t upgrade-radar .
# Keep NODE_VERSION in step with package.json "engines". Debian (glibc), not Alpine: chDB ships a
# glibc build of ClickHouse only.
ARG NODE_VERSION=24.22
ARG PNPM_VERSION=10.34.8

FROM node:${NODE_VERSION}-bookworm-slim AS build
ARG PNPM_VERSION
ENV CI=true
RUN npm install -g --no-fund --no-audit "pnpm@${PNPM_VERSION}"
WORKDIR /src
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/ packages/
COPY services/ services/
COPY deploy/image/ deploy/image/
COPY queries/ queries/
COPY infra/build/ infra/build/
RUN pnpm install --frozen-lockfile && pnpm build
# Production dependencies only, in a self-contained folder (no workspace links, no dev tools).
RUN bash deploy/image/assemble.sh /app

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    RADAR_DATA_DIR=/var/lib/radar \
    HTTP_PORT=8080 \
    SCHEDULER_HTTP_PORT=9464
# The node image's unprivileged user (uid 1000); numeric, so runAsNonRoot can verify it.
RUN mkdir -p /var/lib/radar && chown 1000:1000 /var/lib/radar
COPY --from=build --chown=0:0 /app /app
USER 1000:1000
WORKDIR /var/lib/radar
EXPOSE 8080 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/radar.mjs"]
CMD ["--help"]
