/**
 * pnpm bench:webhook-junk — issue 15, finding 11: a POST of 5,000 junk items (~110 KB) against a
 * real `radar serve` (embedded ClickHouse, a fresh data directory), once and then 4 in parallel
 * (BENCH_ROUNDS rounds, default 3, to see whether memory keeps growing). The baseline, in the same
 * run and first: a POST of the same size made of ordinary events. Per step: the server's peak RSS
 * so far (VmHWM) and its RSS now, and the longest event-loop delay during the step, read from
 * the server's own `nodejs_eventloop_lag_max_seconds` (perf_hooks monitorEventLoopDelay, reset by
 * each scrape). Prints one JSON line.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditEvent } from '../support/events.js';
import { startProcess } from '../support/processes.js';

const ITEMS = 5000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const junk = JSON.stringify({
  kind: 'EventList',
  apiVersion: 'audit.k8s.io/v1',
  items: Array.from({ length: ITEMS }, (_, i) => ({ junk: `item-${String(i).padStart(5, '0')}` })),
});
const ordinary: unknown[] = [];
for (let i = 0; JSON.stringify(ordinary).length < junk.length; i++) ordinary.push(auditEvent({}, i));
const baseline = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: ordinary });

const dir = mkdtempSync(join(tmpdir(), 'radar-bench-hook-'));
const serve = startProcess('services/cli/src/main.ts', { RADAR_DATA_DIR: dir }, [
  'serve',
  '--no-scheduler',
  '--port',
  '0',
]);
const port = await serve.port;
const pid = serve.child.pid!;

function memoryMb(): { peakRssMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? -1024);
  return { peakRssMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) };
}

async function maxLoopDelayMs(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text);
  return m ? Math.round(Number(m[1]) * 1000) : -1;
}

async function step(name: string, body: string, parallel: number) {
  await maxLoopDelayMs(); // resets the server's histogram
  const t0 = performance.now();
  const answers = await Promise.all(
    Array.from({ length: parallel }, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/audit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const a = (await res.json()) as { stored?: number; deadLetters?: { written: number } };
      return { status: res.status, stored: a.stored ?? 0, deadLetters: a.deadLetters?.written ?? 0 };
    }),
  );
  const seconds = Number(((performance.now() - t0) / 1000).toFixed(3));
  return {
    step: name,
    parallel,
    statuses: [...new Set(answers.map((a) => a.status))],
    stored: answers.reduce((s, a) => s + a.stored, 0),
    deadLetters: answers.reduce((s, a) => s + a.deadLetters, 0),
    seconds,
    maxLoopDelayMs: await maxLoopDelayMs(),
    ...memoryMb(),
  };
}

const atStart = memoryMb();
const steps = [await step('baseline-ordinary-events', baseline, 1), await step('junk', junk, 1)];
for (let r = 0; r < ROUNDS; r++) steps.push(await step(`junk-x4-round-${r + 1}`, junk, 4));
serve.child.kill('SIGTERM');
await serve.exited;

const junkSteps = steps.slice(1);
console.log(
  JSON.stringify({
    bench: 'webhook-junk',
    junkItems: ITEMS,
    junkBytes: junk.length,
    baselineEvents: ordinary.length,
    baselineBytes: baseline.length,
    startRssMb: atStart.rssMb,
    peakRssMb: Math.max(...steps.map((s) => s.peakRssMb)),
    maxJunkLoopDelayMs: Math.max(...junkSteps.map((s) => s.maxLoopDelayMs)),
    baselineLoopDelayMs: steps[0]!.maxLoopDelayMs,
    steps,
    at: new Date().toISOString(),
  }),
);
