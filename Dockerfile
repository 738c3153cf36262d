# syntax=docker/dockerfile:1
# Service Kit in one image: the API, which also serves the customer and rep apps.
#   docker build -t servicekit .
#   docker run -p 3000:3000 --env-file .env servicekit
# docs/deploy.md has the whole walkthrough (compose, Kubernetes, Heroku). No secret is baked in: every one
# comes from the environment at run time.

# Debian 12 with the Node.js line the project is built and tested on, pinned to an exact release. Pin the
# digest too once your registry can be reached (docker buildx imagetools inspect node:20.20.2-bookworm-slim).
FROM node:20.20.2-bookworm-slim AS base

FROM base AS npm
# The lock file is written by npm 11; Node 20 ships npm 10, which rejects it.
RUN npm install -g npm@11.19.1 && npm cache clean --force

FROM npm AS build
WORKDIR /workspace
ENV NX_DAEMON=false NX_NO_CLOUD=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build -p api customer rep embed --outputStyle=static --skip-nx-cache

FROM npm AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM base AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /workspace/dist/apps ./dist/apps
# The image's own unprivileged user (uid 1000); the files stay root's, so the process cannot change them.
USER node
EXPOSE 3000
# The API drains on SIGTERM: readiness turns 503, it serves on for SHUTDOWN_DELAY_MS, then finishes what is
# in flight. Give the container at least 25 s to stop (docker stop -t 30, compose stop_grace_period).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/main.js"]
