#!/bin/sh
# Consumer container entrypoint. PID 1 is tini, which forwards SIGTERM to this process; every branch ends in exec, so
# the signal reaches kcl-daemon (which forwards it to the JVM) or the direct reader itself, never a shell that would
# swallow it.
set -eu

app=/app/dist/cli/main.js
# The lean consumer entry (no SFTP, S3 or simulator code): the KCL daemon, its children and the direct reader run from it.
consumer=/app/dist/consumer/src/main.js

# Arguments run that CLI subcommand instead, e.g. `docker run IMAGE doctor`.
if [ "$#" -gt 0 ]; then
  exec node "$app" "$@"
fi

case "${CONSUMER_MODE:-kcl}" in
  kcl)
    # Each child sees one shard, so the stream's open shard count (the autoscaling metric) comes from this monitor.
    # It holds no state; when the daemon exits, tini ends the container and the monitor with it.
    node "$consumer" shard-monitor &
    # The MultiLangDaemon in the foreground, the same command as a local run: it writes the properties from the one
    # validated configuration (a stable workerId = the ECS task id) and runs java with the jars of KCL_JAR_DIR,
    # forwarding SIGTERM to it.
    exec node "$consumer" kcl-daemon
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
