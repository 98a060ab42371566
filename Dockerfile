# defender-experts-bot — multi-stage image. Build: compile TypeScript to dist/ with the dev toolchain.
# Runtime: production dependencies only, plain `node dist/adapters/main.js` as an unprivileged user.
# Build:   docker build -t defender-experts-bot .
# Run:     docker run -p 3978:3978 -e HOST=0.0.0.0 -e DATABASE_URL=postgres://… defender-experts-bot

ARG NODE_VERSION=20-bookworm-slim

FROM node:${NODE_VERSION} AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bot ./bot
COPY cards ./cards
COPY adapters ./adapters
RUN npx tsc -p tsconfig.build.json \
  && mkdir -p dist/adapters/web/public \
  && cp -R adapters/web/public/. dist/adapters/web/public/

FROM node:${NODE_VERSION} AS deps
WORKDIR /app
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3978 \
    DATA_DIR=/data \
    DEV_CONSOLE=off
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
# The node image's unprivileged user; it owns only the data directory (SQLite when DATABASE_URL is unset).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3978
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/adapters/main.js"]
