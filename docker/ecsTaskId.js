/* global fetch, AbortSignal */
// Prints this ECS task's id (the last part of its task ARN) from the task metadata endpoint v4, for the KCL workerId.
const base = process.env.ECS_CONTAINER_METADATA_URI_V4;
if (!base) process.exit(1);

fetch(`${base}/task`, { signal: AbortSignal.timeout(2000) })
  .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`HTTP ${res.status}`))))
  .then((task) => {
    const id = String(task.TaskARN || '')
      .split('/')
      .pop();
    if (!id) process.exit(1);
    process.stdout.write(`${id}\n`);
  })
  .catch(() => process.exit(1));
