# Organic: production image (Next.js standalone output, non-root).
# Embedded (one container, PGlite and files in the volume):
#   docker build --target app -t organic . && docker run -p 3000:3000 -e ENCRYPTION_KEY=$(openssl rand -hex 32) -v organic-data:/app/.data organic
# Scale-out (app + worker + PostgreSQL + Redis + MinIO): docker-compose.yml.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM node:22-bookworm-slim AS builder
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build

# The web app: `node server.js` from the standalone bundle.
FROM node:22-bookworm-slim AS app
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 DATA_DIR=/app/.data \
  KEEP_ALIVE_TIMEOUT=65000
RUN groupadd --system --gid 1001 organic && useradd --system --uid 1001 --gid organic organic \
  && mkdir -p /app/.data && chown organic:organic /app/.data
COPY --from=builder --chown=organic:organic /app/.next/standalone ./
COPY --from=builder --chown=organic:organic /app/.next/static ./.next/static
COPY --from=builder --chown=organic:organic /app/public ./public
COPY --from=builder --chown=organic:organic /app/server/db/migrations ./server/db/migrations
USER organic
EXPOSE 3000
VOLUME ["/app/.data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "server.js"]

# The BullMQ worker (scale-out mode): the plain-JavaScript build of server/worker.ts (dist/, made by
# `npm run build`) over the production dependencies only; no TypeScript compiler at run time. It keeps
# nothing on disk (files go to S3 or PostgreSQL), so it needs no volume. Node itself is the command,
# not npm, so `docker stop`'s SIGTERM reaches the worker (which finishes its jobs) instead of a
# wrapper that does not pass it on. react-server: the server-only marker's empty build, as in Next.
# The heap is bounded (128 MB old space; see docs/OPERATIONS.md to change it). The admin CLI is in the
# same image: `docker compose run --rm worker node --conditions=react-server dist/cli.mjs doctor`.
FROM node:22-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:22-bookworm-slim AS worker
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/app/.data
RUN groupadd --system --gid 1001 organic && useradd --system --uid 1001 --gid organic organic
COPY --from=prod-deps --chown=organic:organic /app/node_modules ./node_modules
COPY --from=builder --chown=organic:organic /app/dist ./dist
COPY --from=builder --chown=organic:organic /app/server/db/migrations ./server/db/migrations
COPY --from=builder --chown=organic:organic /app/package.json ./package.json
USER organic
CMD ["node", "--conditions=react-server", "--max-old-space-size=128", "--max-semi-space-size=8", "--v8-pool-size=1", "dist/worker.mjs"]
