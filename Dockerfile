# syntax=docker/dockerfile:1

# Build stage: dev dependencies, the TypeScript build, then only the production dependencies are kept.
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary when one exists for this platform and compiles otherwise, which needs
# Python, make and a C++ compiler. nodedir points node-gyp at the image's own headers instead of downloading them.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends python3 make g++ \
	&& rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json .npmrc ./
# No dependency runs an install script but better-sqlite3, which needs its own (as package.json's allowScripts says).
# .npmrc turns them off already; --ignore-scripts says so here too, and --ignore-scripts=false overrides it.
RUN npm ci --ignore-scripts \
	&& npm rebuild better-sqlite3 --ignore-scripts=false
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
	&& npm prune --omit=dev

# Runtime stage: the same base, so the compiled better-sqlite3 matches its glibc and Node ABI.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
	DATABASE_PATH=/data/gemthread.db \
	HEALTH_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY migrations ./migrations
COPY bin ./bin
COPY --from=build /app/dist ./dist
# bin/start.js rebuilds when package.json or migrations/ look newer than dist/.tsbuildinfo. The image has no
# TypeScript to rebuild with, and COPY may date those files after the build: date the build last.
RUN touch dist/.tsbuildinfo \
	&& mkdir /data \
	&& chown node:node /data
USER node
VOLUME /data
# The health server keeps HEALTH_HOST's default, 127.0.0.1: the HEALTHCHECK below calls it from inside the container,
# and nothing else can. Publishing this port also needs HEALTH_HOST=0.0.0.0 (see compose.yaml).
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
	CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTH_PORT}/healthz`, { signal: AbortSignal.timeout(4000) }).then((response) => process.exit(response.status === 200 ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives `docker stop`'s SIGTERM itself.
CMD ["node", "bin/start.js"]
