// The image's HEALTHCHECK: GET /healthz of the running service. The scheduler listens on
// SCHEDULER_HTTP_PORT, every other service on HTTP_PORT; PID 1's arguments say which runs.
import { readFileSync } from 'node:fs';

const args = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
const port = args.includes('scheduler')
  ? (process.env.SCHEDULER_HTTP_PORT ?? '9464')
  : (process.env.HTTP_PORT ?? '8080');
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
