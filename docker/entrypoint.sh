#!/bin/sh
# Consumer container entrypoint. PID 1 is tini, which forwards SIGTERM to this process; every branch ends in exec, so
# the signal reaches the JVM (KCL mode) or Node (direct mode) itself, never a shell that would swallow it.
set -eu

app=/app/dist/cli/main.js
# The lean consumer entry (no SFTP, S3 or simulator code): the KCL children and the direct reader run from it.
consumer=/app/dist/consumer/src/main.js

# Arguments run that CLI subcommand instead, e.g. `docker run IMAGE doctor`.
if [ "$#" -gt 0 ]; then
  exec node "$app" "$@"
fi

case "${CONSUMER_MODE:-kcl}" in
  kcl)
    state_dir=${STATE_DIR:-/var/lib/connect-wfm}
    mkdir -p "$state_dir"
    properties="$state_dir/kcl.properties"
    # The properties (stream ARN, application = lease table name, retrieval mode, a stable workerId = the ECS task id
    # from the task metadata endpoint, executableName ... dist/consumer/src/main.js kcl-processor, relative to /app)
    # come from the same validated configuration as everything else.
    node "$app" kcl-properties >"$properties"
    if [ ! -s "$properties" ]; then
      echo "entrypoint: connect-wfm kcl-properties wrote no properties" >&2
      exit 1
    fi
    # Each child sees one shard, so the stream's open shard count (the autoscaling metric) comes from this monitor.
    # It holds no state; when the daemon exits, tini ends the container and the monitor with it.
    node "$consumer" shard-monitor &
    # The heap shares the task's memory with one Node child per shard lease, hence the modest default.
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options: split on purpose.
    exec java ${JAVA_OPTS:--XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError} \
      -cp "${KCL_JAR_DIR:-/opt/kcl/jars}/*:$state_dir" \
      software.amazon.kinesis.multilang.MultiLangDaemon --properties-file "$properties" \
      --log-configuration "${KCL_LOG_CONFIGURATION:-/app/docker/logback.xml}"
    ;;
  direct)
    # The heap flags of consumer/src/runtime/nodeOptions.ts (CONSUMER_NODE_OPTIONS; a test keeps the two equal).
    exec node --max-old-space-size=128 --max-semi-space-size=8 "$consumer" consume
    ;;
  *)
    echo "entrypoint: CONSUMER_MODE must be kcl or direct, not '${CONSUMER_MODE}'" >&2
    exit 64
    ;;
esac
