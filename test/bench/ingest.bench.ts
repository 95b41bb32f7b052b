/**
 * pnpm bench:ingest — end-to-end ingest throughput against the real broker, with its yardstick in
 * the same run (issue 14). Produces N realistic ~1.2 KB Metadata-level events to a fresh topic once,
 * then consumes it with one ingest worker process and with the baseline
 * (test/bench/baseline-consumer.ts: kafkajs + JSONEachRow into embedded ClickHouse), each in its own
 * consumer group and fresh data dir, timed from process start until every offset is committed, and
 * checks each stored every event. Rounds alternate the order. Prints one JSON line (per-round lines
 * on stderr). Env: BENCH_EVENTS (default 1,000,000), BENCH_PARTITIONS (4), BENCH_ROUNDS (1),
 * BENCH_FIRST=worker|baseline, BENCH_LEVEL=Request adds request bodies (field-path extraction cost),
 * BENCH_CPU_PROF=<dir> writes V8 CPU profiles of every consumer thread. Each run also reports CPU
 * per million events by thread name (main, decode threads, the engine pools, V8 helpers).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { auditEvent } from '../support/events.js';
import { createTopic, newKafka, uniqueName } from '../support/kafka.js';
import { runInfraScript } from '../support/repo.js';
import { requestBody } from './bodies.js';
import { consume, median, orderOf, produceAll, type Run } from './consumers.js';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 4);
const LEVEL = process.env.BENCH_LEVEL === 'Request' ? 'Request' : 'Metadata';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const FIRST = process.env.BENCH_FIRST === 'baseline' ? 'baseline' : 'worker';

function payloads(): Buffer[] {
  const out: Buffer[] = new Array(N);
  for (let i = 0; i < N; i++) {
    const spec =
      LEVEL === 'Request' && i % 7 === 3
        ? { level: 'Request', verb: 'update', requestObject: requestBody(i) }
        : {};
    out[i] = Buffer.from(JSON.stringify(auditEvent(spec, i)));
  }
  return out;
}

function jsonParseRate(values: Buffer[]): number {
  const sample = values.slice(0, Math.min(values.length, 200_000));
  const t0 = performance.now();
  let keep = 0;
  for (const v of sample) keep += (JSON.parse(v.toString('utf8')) as { stage: string }).stage.length;
  const secs = (performance.now() - t0) / 1000;
  if (keep === 0) throw new Error('unreachable');
  return sample.length / secs;
}

/** A full collection now, not while the consumers are timed (the payloads were a GB of heap). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

await runInfraScript('infra/kafka/start.sh');
const topic = uniqueName('bench_audit');
await createTopic(topic, PARTITIONS);
let values: Buffer[] | undefined = payloads();
const avgBytes = Math.round(values.reduce((s, v) => s + v.length, 0) / values.length);
const produceSecs = await produceAll(topic, values, PARTITIONS);
const parseRate = jsonParseRate(values);
// The measuring process shares the 2 cores: drop the payloads (a GB of heap to mark) and poll
// with one admin connection, not a new one each time.
values = undefined;
collectGarbage();
const admin = newKafka('radar-bench-admin').admin();
await admin.connect();

// Rounds alternate the order (the second consumer runs on a warmer page cache and broker).
const rounds: { worker: Run; baseline: Run; ratio: number }[] = [];
const pair = FIRST === 'worker' ? (['worker', 'baseline'] as const) : (['baseline', 'worker'] as const);
for (let r = 0; r < ROUNDS; r++) {
  const order = orderOf(r, pair);
  const got: Partial<Record<'worker' | 'baseline', Run>> = {};
  for (const who of order) got[who] = await consume(who, topic, N, admin);
  const worker = got.worker!;
  const baseline = got.baseline!;
  rounds.push({ worker, baseline, ratio: Number((worker.eventsPerSec / baseline.eventsPerSec).toFixed(3)) });
  process.stderr.write(`${JSON.stringify({ round: r + 1, order, ...rounds.at(-1) })}\n`);
}
await admin.disconnect();

const all = rounds.flatMap((r) => [r.worker, r.baseline]);
const med = (f: (r: (typeof rounds)[number]) => number) => Number(median(rounds.map(f)).toFixed(3));
process.stdout.write(
  `${JSON.stringify({
    bench: 'ingest',
    level: LEVEL,
    events: N,
    partitions: PARTITIONS,
    avgEventBytes: avgBytes,
    rounds: ROUNDS,
    first: FIRST,
    workerEventsPerSec: med((r) => r.worker.eventsPerSec),
    baselineEventsPerSec: med((r) => r.baseline.eventsPerSec),
    ratio: med((r) => r.ratio),
    ratios: rounds.map((r) => r.ratio),
    workerCpuSecondsPerMillion: med((r) => r.worker.cpuSecondsPerMillion),
    baselineCpuSecondsPerMillion: med((r) => r.baseline.cpuSecondsPerMillion),
    workerPeakRssMb: Math.max(...rounds.map((r) => r.worker.peakRssMb)),
    baselinePeakRssMb: Math.max(...rounds.map((r) => r.baseline.peakRssMb)),
    jsonParseEventsPerSec: Math.round(parseRate),
    produceSeconds: Number(produceSecs.toFixed(2)),
    at: new Date().toISOString(),
  })}\n`,
);
if (all.some((r) => r.stored !== N)) {
  process.stderr.write(
    `stored counts differ from ${N}: ${all.map((r) => `${r.who} ${r.stored}`).join(', ')}\n`,
  );
  process.exitCode = 1;
}
