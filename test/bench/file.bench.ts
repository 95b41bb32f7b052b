/**
 * pnpm bench:file — `radar ingest --file` against the ingest worker on the same events, in the
 * same run (issue 14: file ingest at >= 0.9x the worker, <= 600 MB RSS). Writes BENCH_EVENTS
 * (default 300,000) bench events as a JSON-lines file and produces the same bytes to a fresh
 * 4-partition topic; each round runs the built CLI on the file (fresh data dir, timed to exit) and
 * one worker on the topic (timed until every offset is committed), in alternating order, and
 * checks each stored every event. Prints one JSON line (per-round lines on stderr).
 * Env: BENCH_ROUNDS (default 3), BENCH_CHUNK_LINES and BENCH_INSERT_ROWS (passed as --chunk-lines
 * and --insert-rows when set), BENCH_FILE_CLI (another build's dist/main.js: A/B of two commits).
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { auditEvent } from '../support/events.js';
import { createTopic, newKafka, uniqueName } from '../support/kafka.js';
import { runInfraScript } from '../support/repo.js';
import { consume, ingestFile, median, orderOf, produceAll, type Run } from './consumers.js';

const N = Number(process.env.BENCH_EVENTS ?? 300_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PARTITIONS = 4;
const chunkArgs = [
  ...(process.env.BENCH_CHUNK_LINES ? ['--chunk-lines', process.env.BENCH_CHUNK_LINES] : []),
  ...(process.env.BENCH_INSERT_ROWS ? ['--insert-rows', process.env.BENCH_INSERT_ROWS] : []),
];

await runInfraScript('infra/kafka/start.sh');
const dir = mkdtempSync(join(tmpdir(), 'radar-bench-file-'));
const file = join(dir, 'audit.jsonl');
const values: Buffer[] = new Array(N);
const out = createWriteStream(file);
for (let i = 0; i < N; i++) {
  values[i] = Buffer.from(JSON.stringify(auditEvent({}, i)));
  if (!out.write(Buffer.concat([values[i]!, Buffer.from('\n')]))) {
    await new Promise<void>((r) => out.once('drain', () => r()));
  }
}
out.end();
await finished(out);
const topic = uniqueName('bench_file');
await createTopic(topic, PARTITIONS);
await produceAll(topic, values, PARTITIONS);
values.length = 0;
const admin = newKafka('radar-bench-admin').admin();
await admin.connect();

const rounds: { file: Run; worker: Run; ratio: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const order = orderOf(r, ['file', 'worker'] as const);
  const got: Partial<Record<'file' | 'worker', Run>> = {};
  for (const who of order) {
    got[who] =
      who === 'file' ? await ingestFile(file, N, chunkArgs) : await consume('worker', topic, N, admin);
  }
  const f = got.file!;
  const w = got.worker!;
  rounds.push({ file: f, worker: w, ratio: Number((f.eventsPerSec / w.eventsPerSec).toFixed(3)) });
  process.stderr.write(`${JSON.stringify({ round: r + 1, order, ...rounds.at(-1) })}\n`);
}
await admin.disconnect();

const med = (f: (r: (typeof rounds)[number]) => number) => Number(median(rounds.map(f)).toFixed(3));
process.stdout.write(
  `${JSON.stringify({
    bench: 'file',
    events: N,
    fileBytes: statSync(file).size,
    rounds: ROUNDS,
    chunkLines: process.env.BENCH_CHUNK_LINES ?? 'default',
    insertRows: process.env.BENCH_INSERT_ROWS ?? 'default',
    fileEventsPerSec: med((r) => r.file.eventsPerSec),
    workerEventsPerSec: med((r) => r.worker.eventsPerSec),
    ratio: med((r) => r.ratio),
    ratios: rounds.map((r) => r.ratio),
    fileCpuSecondsPerMillion: med((r) => r.file.cpuSecondsPerMillion),
    workerCpuSecondsPerMillion: med((r) => r.worker.cpuSecondsPerMillion),
    filePeakRssMb: Math.max(...rounds.map((r) => r.file.peakRssMb)),
    workerPeakRssMb: Math.max(...rounds.map((r) => r.worker.peakRssMb)),
    at: new Date().toISOString(),
  })}\n`,
);
rmSync(dir, { recursive: true, force: true });
const all = rounds.flatMap((r) => [r.file, r.worker]);
if (all.some((r) => r.stored !== N)) {
  process.stderr.write(
    `stored counts differ from ${N}: ${all.map((r) => `${r.who} ${r.stored}`).join(', ')}\n`,
  );
  process.exitCode = 1;
}
