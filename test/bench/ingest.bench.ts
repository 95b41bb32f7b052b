/**
 * pnpm bench:ingest — end-to-end ingest throughput against the real broker.
 * Produces N realistic ~1.2 KB Metadata-level events to a fresh topic, starts one ingest worker
 * (embedded ClickHouse), and times it until every offset is committed. The baseline, plain
 * JSON.parse of the same payloads, is measured in the same run (this machine is noisy).
 * Prints one JSON line. Env: BENCH_EVENTS (default 1,000,000), BENCH_PARTITIONS (4),
 * BENCH_LEVEL=Request adds request bodies (field-path extraction cost).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { auditEvent } from '../support/events.js';
import { createTopic, newKafka, uniqueName } from '../support/kafka.js';
import { queryDataDir, startProcess } from '../support/processes.js';
import { runInfraScript } from '../support/repo.js';
import { requestBody } from './bodies.js';

const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 4);
const LEVEL = process.env.BENCH_LEVEL === 'Request' ? 'Request' : 'Metadata';

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

async function produceAll(topic: string, values: Buffer[]): Promise<number> {
  const producer = newKafka('radar-bench-producer').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const t0 = performance.now();
  const batch = 2000;
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < values.length; i += batch) {
    const messages = values
      .slice(i, i + batch)
      .map((value, j) => ({ value, partition: (i / batch + j) % PARTITIONS }));
    inflight.push(producer.send({ topic, acks: 1, messages }));
    if (inflight.length >= 8) await inflight.shift();
  }
  await Promise.all(inflight);
  await producer.disconnect();
  return (performance.now() - t0) / 1000;
}

/** A full collection now, not while the worker is being timed (the payloads were a GB of heap). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : -1;
}

await runInfraScript('infra/kafka/start.sh');
const topic = uniqueName('bench_audit');
const group = uniqueName('bench_ingest');
await createTopic(topic, PARTITIONS);
let values: Buffer[] | undefined = payloads();
const avgBytes = Math.round(values.reduce((s, v) => s + v.length, 0) / values.length);
const produceSecs = await produceAll(topic, values);
const parseRate = jsonParseRate(values);
// The measuring process shares the 2 cores: drop the payloads (a GB of heap to mark) and poll
// with one admin connection, not a new one each time.
values = undefined;
collectGarbage();
const admin = newKafka('radar-bench-admin').admin();
await admin.connect();

const dataDir = mkdtempSync(join(tmpdir(), 'radar-bench-'));
const t0 = performance.now();
const worker = startProcess('services/ingest-worker/src/main.ts', {
  KAFKA_TOPIC: topic,
  KAFKA_GROUP_ID: group,
  RADAR_DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  HTTP_PORT: '0',
});
let peak = 0;
// Poll sparingly (the poller shares the cores), finely near the end (the end time is the figure).
const deadline = Date.now() + 30 * 60_000;
for (;;) {
  peak = Math.max(peak, peakRssMb(worker.child.pid!));
  const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  let committed = 0;
  for (const p of entry?.partitions ?? []) committed += Math.max(0, Number(p.offset));
  if (committed >= N) break;
  if (Date.now() > deadline) throw new Error(`timed out: ${committed} of ${N} committed\n${worker.output()}`);
  await new Promise((r) => setTimeout(r, committed >= 0.9 * N ? 100 : 1000));
}
const secs = (performance.now() - t0) / 1000;
peak = Math.max(peak, peakRssMb(worker.child.pid!));
worker.child.kill('SIGTERM');
await worker.exited;
await admin.disconnect();
const [stored] = await queryDataDir<{ n: number }>(dataDir, 'SELECT count() AS n FROM audit_events');

const eventsPerSec = N / secs;
process.stdout.write(
  `${JSON.stringify({
    bench: 'ingest',
    level: LEVEL,
    events: N,
    partitions: PARTITIONS,
    avgEventBytes: avgBytes,
    stored: stored?.n,
    seconds: Number(secs.toFixed(2)),
    eventsPerSec: Math.round(eventsPerSec),
    jsonParseEventsPerSec: Math.round(parseRate),
    ratioToJsonParse: Number((eventsPerSec / parseRate).toFixed(3)),
    workerPeakRssMb: peak,
    produceSeconds: Number(produceSecs.toFixed(2)),
    at: new Date().toISOString(),
  })}\n`,
);
if (stored?.n !== N) process.exitCode = 1;
