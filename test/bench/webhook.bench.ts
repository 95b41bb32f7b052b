/**
 * pnpm bench:webhook — the all-in-one webhook (`radar serve`, embedded ClickHouse, a fresh data
 * dir) under the apiserver's default batching: EventLists of 400 events (BENCH_EVENTS in all,
 * default 120,000, every audit ID distinct), 8 POSTs in flight. The baseline, in the same run, is a
 * minimal node HTTP server that only reads each body and answers 200: what this machine's HTTP
 * stack and the load generator allow. BENCH_SPOOL=on (default) | off | both picks radar serve's
 * spool (answered once durable on local disk) or the direct group-commit path; both runs them in
 * the same rounds. Rounds (BENCH_ROUNDS, default 2) rotate the order. Each radar round is timed
 * until every event is stored (spool: nothing pending), not only answered, and its CPU counted
 * to then; after it the stored rows are counted: every event once (the exactly-once effect).
 * Prints one JSON line: answered and stored rates, POST latency p50/p99, CPU s per million
 * events, the server's peak RSS and the load average at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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

type Mode = 'spool' | 'direct';

/** Polls /metrics until the spool holds nothing pending: every answered event is stored. */
async function storedAt(port: number, mode: Mode): Promise<number> {
  if (mode === 'direct') return performance.now();
  for (;;) {
    if ((await metric(port, 'radar_webhook_spool_records_pending')) === 0) return performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function radar(mode: Mode) {
  const dir = mkdtempSync(join(tmpdir(), 'radar-bench-webhook-'));
  // BENCH_CPU_PROF=<dir>: V8 CPU profiles of radar serve (main and decode threads) land there.
  const prof = process.env.BENCH_CPU_PROF;
  const env: Record<string, string> = prof ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${prof}` } : {};
  const serve = startProcess(
    'services/cli/src/main.ts',
    { RADAR_DATA_DIR: dir, WEBHOOK_SPOOL: mode === 'spool' ? 'on' : 'off', ...env },
    ['serve', '--no-scheduler', '--port', '0'],
  );
  const port = await serve.port;
  const pid = serve.child.pid!;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const r = await load(port);
  const storedSeconds = ((await storedAt(port, mode)) - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  const peak = peakRssMb(pid);
  const [countName, sumName] =
    mode === 'spool'
      ? ['radar_webhook_spool_insert_rows_count', 'radar_webhook_spool_insert_rows_sum']
      : ['radar_webhook_insert_posts_count', 'radar_webhook_insert_posts_sum'];
  const inserts = await metric(port, countName);
  const perInsert = Number(((await metric(port, sumName)) / inserts).toFixed(2));
  await stop(serve.child);
  const [row] = await queryDataDir<{ rows: number; ids: number }>(
    dir,
    'SELECT count() AS rows, uniqExact(audit_id) AS ids FROM audit_events',
  );
  rmSync(dir, { recursive: true, force: true });
  return {
    who: `radar-${mode}`,
    ...r,
    storedSeconds: Number(storedSeconds.toFixed(2)),
    storedEventsPerSec: Math.round(N / storedSeconds),
    cpuSecondsPerMillion: Number(((cpu * 1e6) / N).toFixed(1)),
    peakRssMb: peak,
    inserts,
    // Spool: rows per insert; direct: POSTs per insert (group commit).
    ...(mode === 'spool' ? { rowsPerInsert: perInsert } : { postsPerInsert: perInsert }),
    storedRows: Number(row?.rows ?? -1),
    storedIds: Number(row?.ids ?? -1),
  };
}

const SPOOL = process.env.BENCH_SPOOL ?? 'on';
if (!['on', 'off', 'both'].includes(SPOOL)) throw new Error(`BENCH_SPOOL must be on, off or both: ${SPOOL}`);
const modes: Mode[] = SPOOL === 'both' ? ['spool', 'direct'] : SPOOL === 'on' ? ['spool'] : ['direct'];
type Who = Mode | 'minimal';
type Result = Awaited<ReturnType<typeof radar>> | Awaited<ReturnType<typeof minimal>>;
const rounds: Partial<Record<Who, Result>>[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // Rotated every round: each variant runs first, middle and last in turn.
  const order = orderOf<Who>(r, [...modes, 'minimal']);
  const got: Partial<Record<Who, Result>> = {};
  for (const who of order) got[who] = who === 'minimal' ? await minimal() : await radar(who);
  rounds.push(got);
  process.stderr.write(`${JSON.stringify({ round: r + 1, order, ...got })}\n`);
}

const med = (f: (r: Partial<Record<Who, Result>>) => number) => Number(median(rounds.map(f)).toFixed(3));
const summary = (m: Mode) => {
  const of = (r: Partial<Record<Who, Result>>) => r[m] as Awaited<ReturnType<typeof radar>>;
  return {
    answeredEventsPerSec: med((r) => of(r).eventsPerSec),
    storedEventsPerSec: med((r) => of(r).storedEventsPerSec),
    p50Ms: med((r) => of(r).p50Ms),
    p99Ms: med((r) => of(r).p99Ms),
    cpuSecondsPerMillion: med((r) => of(r).cpuSecondsPerMillion),
    peakRssMb: Math.max(...rounds.map((r) => of(r).peakRssMb)),
    ratioToMinimal: med((r) => of(r).storedEventsPerSec / r.minimal!.eventsPerSec),
  };
};
process.stdout.write(
  `${JSON.stringify({
    bench: 'webhook',
    events: N,
    eventsPerPost: PER_POST,
    inFlight: IN_FLIGHT,
    avgPostBytes: Math.round(bodies.reduce((s, b) => s + b.length, 0) / bodies.length),
    rounds: ROUNDS,
    spool: SPOOL,
    minimalEventsPerSec: med((r) => r.minimal!.eventsPerSec),
    minimalP99Ms: med((r) => r.minimal!.p99Ms),
    ...Object.fromEntries(modes.map((m) => [m, summary(m)])),
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    at: new Date().toISOString(),
  })}\n`,
);
const bad = rounds.flatMap((r) =>
  modes
    .map((m) => r[m] as Awaited<ReturnType<typeof radar>>)
    .filter((x) => x.storedRows !== N || x.storedIds !== N || x.statuses.some((s) => s !== 200)),
);
if (bad.length > 0) {
  process.stderr.write(`radar serve did not store every event once with 200s: ${JSON.stringify(bad)}\n`);
  process.exitCode = 1;
}
