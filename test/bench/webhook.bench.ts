/**
 * pnpm bench:webhook — the all-in-one webhook (`radar serve`, embedded ClickHouse, a fresh data
 * dir) under the apiserver's default batching: EventLists of 400 events (BENCH_EVENTS in all,
 * default 120,000, every audit ID distinct), 8 POSTs in flight. The baseline, in the same run, is a
 * minimal node HTTP server that only reads each body and answers 200: what this machine's HTTP
 * stack and the load generator allow. Rounds (BENCH_ROUNDS, default 2) alternate the order.
 * After each radar run the stored rows are counted: every event once (the exactly-once effect).
 * Prints one JSON line: both rates, the ratio, POST latency p50/p99 and the server's peak RSS.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditEvent } from '../support/events.js';
import { metric, queryDataDir, startProcess } from '../support/processes.js';
import { cpuSeconds, median, orderOf, peakRssMb } from './consumers.js';

const N = Number(process.env.BENCH_EVENTS ?? 120_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PER_POST = 400;
const IN_FLIGHT = 8;

const bodies: Buffer[] = [];
for (let i = 0; i < N; i += PER_POST) {
  const items = [];
  for (let j = i; j < Math.min(N, i + PER_POST); j++) items.push(auditEvent({}, j));
  bodies.push(Buffer.from(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items })));
}

const MINIMAL = `
const http = require('node:http');
const s = http.createServer((req, res) => {
  let n = 0;
  req.on('data', (b) => { n += b.length; });
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"received":' + n + '}'); });
});
s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: s.address().port })));
`;

interface Load {
  seconds: number;
  eventsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  statuses: number[];
}

/** 8 loops POSTing the next body until none is left; latency per POST. */
async function load(port: number): Promise<Load> {
  let next = 0;
  const latencies: number[] = [];
  const statuses = new Set<number>();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const s = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}/audit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - s);
        statuses.add(res.status);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!);
  return {
    seconds: Number(seconds.toFixed(2)),
    eventsPerSec: Math.round(N / seconds),
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    statuses: [...statuses],
  };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function minimal() {
  const child = spawn(process.execPath, ['-e', MINIMAL], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) =>
    child.stdout!.once('data', (b: Buffer) => resolve(JSON.parse(b.toString()).port as number)),
  );
  const cpu0 = cpuSeconds(child.pid!);
  const r = await load(port);
  const cpu = cpuSeconds(child.pid!) - cpu0;
  const peak = peakRssMb(child.pid!);
  await stop(child);
  return {
    who: 'minimal',
    ...r,
    cpuSecondsPerMillion: Number(((cpu * 1e6) / N).toFixed(1)),
    peakRssMb: peak,
  };
}

async function radar() {
  const dir = mkdtempSync(join(tmpdir(), 'radar-bench-webhook-'));
  // BENCH_CPU_PROF=<dir>: V8 CPU profiles of radar serve (main and decode threads) land there.
  const prof = process.env.BENCH_CPU_PROF;
  const env: Record<string, string> = prof ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${prof}` } : {};
  const serve = startProcess('services/cli/src/main.ts', { RADAR_DATA_DIR: dir, ...env }, [
    'serve',
    '--no-scheduler',
    '--port',
    '0',
  ]);
  const port = await serve.port;
  const pid = serve.child.pid!;
  const cpu0 = cpuSeconds(pid);
  const r = await load(port);
  const cpu = cpuSeconds(pid) - cpu0;
  const peak = peakRssMb(pid);
  const inserts = await metric(port, 'radar_webhook_insert_posts_count');
  const postsPerInsert = Number(
    ((await metric(port, 'radar_webhook_insert_posts_sum')) / inserts).toFixed(2),
  );
  await stop(serve.child);
  const [row] = await queryDataDir<{ rows: number; ids: number }>(
    dir,
    'SELECT count() AS rows, uniqExact(audit_id) AS ids FROM audit_events',
  );
  rmSync(dir, { recursive: true, force: true });
  return {
    who: 'radar-serve',
    ...r,
    cpuSecondsPerMillion: Number(((cpu * 1e6) / N).toFixed(1)),
    peakRssMb: peak,
    inserts,
    postsPerInsert,
    storedRows: Number(row?.rows ?? -1),
    storedIds: Number(row?.ids ?? -1),
  };
}

type Result = Awaited<ReturnType<typeof minimal>> & { storedRows?: number; storedIds?: number };
const rounds: { radar: Result; minimal: Result; ratio: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const order = orderOf(r, ['radar', 'minimal'] as const);
  const got: Partial<Record<'radar' | 'minimal', Result>> = {};
  for (const who of order) got[who] = who === 'radar' ? await radar() : await minimal();
  const ratio = Number((got.radar!.eventsPerSec / got.minimal!.eventsPerSec).toFixed(3));
  rounds.push({ radar: got.radar!, minimal: got.minimal!, ratio });
  process.stderr.write(`${JSON.stringify({ round: r + 1, order, ...rounds.at(-1) })}\n`);
}

const med = (f: (r: (typeof rounds)[number]) => number) => Number(median(rounds.map(f)).toFixed(3));
process.stdout.write(
  `${JSON.stringify({
    bench: 'webhook',
    events: N,
    eventsPerPost: PER_POST,
    inFlight: IN_FLIGHT,
    avgPostBytes: Math.round(bodies.reduce((s, b) => s + b.length, 0) / bodies.length),
    rounds: ROUNDS,
    radarEventsPerSec: med((r) => r.radar.eventsPerSec),
    minimalEventsPerSec: med((r) => r.minimal.eventsPerSec),
    ratio: med((r) => r.ratio),
    ratios: rounds.map((r) => r.ratio),
    radarP50Ms: med((r) => r.radar.p50Ms),
    radarP99Ms: med((r) => r.radar.p99Ms),
    minimalP99Ms: med((r) => r.minimal.p99Ms),
    radarCpuSecondsPerMillion: med((r) => r.radar.cpuSecondsPerMillion),
    radarPeakRssMb: Math.max(...rounds.map((r) => r.radar.peakRssMb)),
    at: new Date().toISOString(),
  })}\n`,
);
const bad = rounds.filter(
  (r) => r.radar.storedRows !== N || r.radar.storedIds !== N || r.radar.statuses.some((s) => s !== 200),
);
if (bad.length > 0) {
  process.stderr.write(
    `radar serve did not store every event once with 200s: ${JSON.stringify(bad.map((r) => r.radar))}\n`,
  );
  process.exitCode = 1;
}
