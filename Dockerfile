# syntax=docker/dockerfile:1
# connect-wfm consumer image: Node.js 22 + headless JRE + the KCL MultiLangDaemon jars (resolved by Maven, locked by SHA-256).
#   docker build -t connect-wfm:<version> .
# Pin the base by digest for reproducible builds: --build-arg NODE_IMAGE=node:22-bookworm-slim@sha256:<digest>
ARG NODE_IMAGE=node:22-bookworm-slim

################################################################################
# build: compile the TypeScript
################################################################################
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build

################################################################################
# deps: production node_modules only
################################################################################
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

################################################################################
# kcl-jars: the MultiLangDaemon classpath, resolved by Maven from kcl/pom.xml and checked against kcl/jars.lock
################################################################################
FROM ${NODE_IMAGE} AS kcl-jars
# Slim images remove /usr/share/man, which the JRE's postinst needs.
RUN mkdir -p /usr/share/man/man1 \
  && apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates maven \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY kcl/ ./kcl/
COPY scripts/kcl-jars.js ./scripts/
RUN node scripts/kcl-jars.js --dir /opt/kcl/jars

################################################################################
# runtime
################################################################################
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends openjdk-17-jre-headless tini ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/connect-wfm \
  && chown 1000:1000 /var/lib/connect-wfm

ENV NODE_ENV=production \
    STATE_DIR=/var/lib/connect-wfm \
    HEALTH_PORT=8080 \
    KCL_JAR_DIR=/opt/kcl/jars \
    CONSUMER_MODE=kcl

WORKDIR /app
COPY --from=kcl-jars /opt/kcl/jars /opt/kcl/jars
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY docker/entrypoint.sh docker/healthcheck.js docker/logback.xml ./docker/

# ECS copies these image directories (with their ownership) into the task's scratch volumes of the same path, so
# they stay writable for uid 1000 under readonlyRootFilesystem.
VOLUME ["/var/lib/connect-wfm", "/tmp"]

# The image's `node` user (uid 1000); never root at run time.
USER 1000:1000

EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 CMD ["node", "/app/docker/healthcheck.js"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "/app/docker/entrypoint.sh"]
