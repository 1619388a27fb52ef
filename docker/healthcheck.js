// Container health check (Dockerfile HEALTHCHECK and the ECS task definition).
// Both modes: GET /healthz on HEALTH_PORT must answer 200 (direct mode: the consumer; KCL mode: the shard-monitor,
// which reads the status files of the kcl-processor children: every shard read, WFM accepting posts).
// KCL mode also needs a process running the MultiLangDaemon class (if the JVM exits, tini and the container exit).
const fs = require('node:fs');
const http = require('node:http');

const mode = process.env.CONSUMER_MODE || 'kcl';
const port = Number(process.env.HEALTH_PORT || 8080);

function daemonRunning() {
  const daemonClass = process.env.KCL_DAEMON_CLASS || 'software.amazon.kinesis.multilang.MultiLangDaemon';
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(daemonClass);
      } catch {
        return false; // the process ended while we looked
      }
    });
}

if (mode === 'kcl' && !daemonRunning()) process.exit(1);
if (port === 0) process.exit(0); // health port switched off: liveness only

const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 4000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
