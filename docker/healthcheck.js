// Container health check (Dockerfile HEALTHCHECK and the ECS task definition).
// direct mode: GET /healthz on the consumer's health port; healthy only on 200.
// kcl mode: the MultiLangDaemon's children (one per shard) serve no shared HTTP port, so health is the daemon's
// liveness: a process running the MultiLangDaemon class. (If the JVM exits, tini and the container exit anyway.)
const fs = require('node:fs');
const http = require('node:http');

const mode = process.env.CONSUMER_MODE || 'kcl';

if (mode === 'kcl') {
  const daemonClass = process.env.KCL_DAEMON_CLASS || 'software.amazon.kinesis.multilang.MultiLangDaemon';
  const running = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(daemonClass);
      } catch {
        return false; // the process ended while we looked
      }
    });
  process.exit(running ? 0 : 1);
}

const port = Number(process.env.HEALTH_PORT || 8080);
const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 4000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
