# syntax=docker/dockerfile:1
# connect-wfm consumer image: Node.js 22 + headless JRE + the KCL MultiLangDaemon jars (resolved by Maven, locked by SHA-256).
#   docker build -t connect-wfm:<version> .
# Pin the base by digest for reproducible builds (docs/container-image.md): --build-arg NODE_IMAGE=node:22-bookworm-slim@sha256:<digest>
# Without a Docker engine: buildah bud --format docker (the OCI format drops HEALTHCHECK); see docs/container-image.md.
# Layer order: what changes least comes first, so a code change rebuilds only the build stage's last layers and the
# runtime's last COPY.
ARG NODE_IMAGE=node:22-bookworm-slim

################################################################################
# build: compile the TypeScript (production code only: tsconfig.build.json)
################################################################################
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/chmod-bin.js ./scripts/
COPY types/ ./types/
COPY common/ ./common/
COPY consumer/ ./consumer/
COPY processors/ ./processors/
COPY simulator/ ./simulator/
COPY doctor/ ./doctor/
COPY local/ ./local/
COPY cli/ ./cli/
RUN npm run build

################################################################################
# deps: production node_modules only
################################################################################
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

################################################################################
# kcl-jars: the MultiLangDaemon classpath, resolved by Maven from kcl/pom.xml and checked against kcl/jars.lock,
# and the Java runtime that runs it
################################################################################
FROM ${NODE_IMAGE} AS kcl-jars
# Slim images remove /usr/share/man, which the JDK's postinst needs (it registers man pages there).
RUN mkdir -p /usr/share/man/man1 \
  && apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates maven openjdk-17-jdk-headless \
  && rm -rf /var/lib/apt/lists/*
# A Java runtime with only the modules the KCL jars use (`jdeps --print-module-deps` per jar, plus jdk.crypto.ec for
# TLS to AWS): about 50 MB, where Debian's full JRE and its libraries take about 230 MB. The trust store is Debian's
# (ca-certificates-java), as with the packaged JRE.
RUN jlink --add-modules java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.unsupported \
    --strip-java-debug-attributes --no-man-pages --no-header-files --compress=2 --output /opt/java \
  && cp -L /etc/ssl/certs/java/cacerts /opt/java/lib/security/cacerts \
  && /opt/java/bin/java -version
WORKDIR /src
COPY kcl/ ./kcl/
COPY scripts/kcl-jars.js ./scripts/
RUN node scripts/kcl-jars.js --dir /opt/kcl/jars

################################################################################
# runtime
################################################################################
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log \
  && mkdir -p /var/lib/connect-wfm \
  && chown 1000:1000 /var/lib/connect-wfm

ENV NODE_ENV=production \
    STATE_DIR=/var/lib/connect-wfm \
    HEALTH_PORT=8080 \
    KCL_JAR_DIR=/opt/kcl/jars \
    CONSUMER_MODE=kcl \
    JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

WORKDIR /app
COPY --from=kcl-jars /opt/java /opt/java
COPY --from=kcl-jars /opt/kcl/jars /opt/kcl/jars
COPY --from=deps /src/node_modules ./node_modules
COPY package.json ./
COPY docker/entrypoint.sh docker/healthcheck.js docker/logback.xml ./docker/
COPY --from=build /src/dist ./dist

# ECS copies these image directories (with their ownership) into the task's scratch volumes of the same path, so
# they stay writable for uid 1000 under readonlyRootFilesystem.
VOLUME ["/var/lib/connect-wfm", "/tmp"]

# The image's `node` user (uid 1000); never root at run time.
USER 1000:1000

EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 CMD ["node", "/app/docker/healthcheck.js"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "/app/docker/entrypoint.sh"]
