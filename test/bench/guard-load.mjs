// Load generator of `pnpm bench:guard`, in its own process so it does not share the servers'
// event loop: POSTs the given review bodies round-robin over `concurrency` keep-alive HTTPS
// connections for `seconds` (after a one-second warm-up) and prints one JSON line of latencies.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';

const [port, caFile, bodiesFile, seconds, concurrency] = process.argv.slice(2);
const ca = readFileSync(caFile, 'utf8');
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));
const agent = new Agent({ keepAlive: true, maxSockets: Number(concurrency), ca });
let next = 0;

function post(body) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: 'POST',
        path: '/validate',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          res.statusCode === 200 ? resolve(text) : reject(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(ms, record) {
  const end = performance.now() + ms;
  const lat = [];
  let denied = 0;
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      while (performance.now() < end) {
        const body = bodies[next++ % bodies.length];
        const t0 = performance.now();
        const text = await post(body);
        if (record) {
          lat.push(performance.now() - t0);
          if (text.includes('"allowed":false')) denied++;
        }
      }
    }),
  );
  return { lat, denied };
}

await run(1000, false);
const t0 = performance.now();
const { lat, denied } = await run(Number(seconds) * 1000, true);
const elapsed = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
const q = (p) => Number(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(3));
process.stdout.write(
  `${JSON.stringify({ requests: lat.length, perSecond: Math.round(lat.length / elapsed), p50Ms: q(0.5), p99Ms: q(0.99), denied })}\n`,
);
agent.destroy();
