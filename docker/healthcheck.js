// Container health check (Dockerfile HEALTHCHECK and the ECS task definition): GET /healthz on the consumer's health
// port; healthy only on 200. Node is in the image already, so no curl is needed.
const http = require('node:http');

const port = Number(process.env.HEALTH_PORT || 8080);
const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 4000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
