/**
 * pnpm bench:hotpath — where the ingest worker's CPU per event goes, in one process (issue 14):
 * the decode thread's work (processBatch + the recent-request memory) over the bench's events
 * (test/support/events.ts, as `pnpm bench:ingest` produces them) in Kafka-sized batches, cut
 * into cumulative steps, and the engine's insert of the encoded rows into a migrated
 * `audit_events` (its views included) against the baseline's JSONEachRow insert. Figures are
 * CPU microseconds per event of this process (user + system, all threads: GC helpers and the
 * engine's threads included), robust to other jobs on the machine where wall time is not.
 * Prints one JSON line. Env: BENCH_EVENTS (default 200,000), BENCH_ROUNDS (4),
 * BENCH_PHASE=decode|insert|all (all).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditEventSchema, decodeMessage, quickEvent, validateEvent } from '@radar/audit-events';
import { UserAgentParser } from '@radar/client-identity';
import { createBodyConfig } from '@radar/field-paths';
import { type EncodedRows, type InputMessage, processBatch, RecentRequests } from '@radar/ingest';
import { openMigratedStore, type RawInsert, type Store } from '@radar/store';
import { AUDIT_COLUMNS } from '@radar/tagger';
import { auditEvent } from '../support/events.js';
import { median } from './consumers.js';

const N = Number(process.env.BENCH_EVENTS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const PHASE = process.env.BENCH_PHASE ?? 'all';
/** An 8 MiB fetch of ~1.26 KB events, as the worker gets them per partition. */
const BATCH = 6_500;
const ROWS_PER_INSERT = 50_000;

function batches(): InputMessage[][] {
  const out: InputMessage[][] = [];
  for (let i = 0; i < N; i += BATCH) {
    const b: InputMessage[] = [];
    for (let k = i; k < Math.min(N, i + BATCH); k++) {
      b.push({ value: Buffer.from(JSON.stringify(auditEvent({}, k))), partition: k % 4, offset: k });
    }
    out.push(b);
  }
  return out;
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/**
 * CPU us per event of each step over every batch: rounds run the steps in turn (rotating the
 * order, so load that comes and goes falls on all of them), median of rounds.
 */
function perEvent(
  input: InputMessage[][],
  steps: Record<string, (b: InputMessage[]) => number>,
): Record<string, number> {
  const names = Object.keys(steps);
  const got: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (const k of names) steps[k]!(input[0]!); // warm up
  for (let r = 0; r < ROUNDS; r++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(j + r) % names.length]!;
      const c0 = cpuUs();
      let n = 0;
      for (const b of input) n += steps[name]!(b);
      if (n === 0) throw new Error(`${name}: nothing done`);
      got[name]!.push((cpuUs() - c0) / N);
    }
  }
  return Object.fromEntries(names.map((k) => [k, Number(median(got[k]!).toFixed(2))]));
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const cfg = {
  tagger: { cluster: 'bench', source: 'kafka:bench' },
  decode: { maxBytes: 4 << 20 },
};

function decodePhase(input: InputMessage[][]) {
  const parser = new UserAgentParser(10_000);
  const deps = { parseUserAgent: (ua: string | undefined) => parser.parse(ua), bodies: createBodyConfig() };
  const steps = {
    jsonParse: (b: InputMessage[]) => {
      let n = 0;
      for (const m of b) n += (JSON.parse(UTF8.decode(m.value as Buffer)) as { stage: string }).stage.length;
      return n;
    },
    // The schema check alone, zod against the hand-written check (same parse before it).
    parseAndZod: (b: InputMessage[]) => {
      let n = 0;
      for (const m of b)
        n += auditEventSchema.safeParse(JSON.parse(UTF8.decode(m.value as Buffer))).success ? 1 : 0;
      return n;
    },
    parseAndQuick: (b: InputMessage[]) => {
      let n = 0;
      for (const m of b) n += quickEvent(JSON.parse(UTF8.decode(m.value as Buffer))) ? 1 : 0;
      return n;
    },
    parseAndValidate: (b: InputMessage[]) => {
      let n = 0;
      for (const m of b) n += validateEvent(JSON.parse(UTF8.decode(m.value as Buffer))).kind.length;
      return n;
    },
    decodeMessage: (b: InputMessage[]) => {
      let n = 0;
      for (const m of b) n += decodeMessage(m.value as Buffer, cfg.decode).length;
      return n;
    },
    processBatch: (b: InputMessage[]) => processBatch(b, cfg, deps).rows.ends.length,
    processBatchAndRecent: (() => {
      const recent = new RecentRequests(200_000);
      // Each pass stores the events anew: the memory forgets them between passes.
      return (b: InputMessage[]) => {
        if (b === input[0]) recent.clear();
        return recent.admit(processBatch(b, cfg, deps).rows).fresh.ends.length;
      };
    })(),
  };
  return perEvent(input, steps);
}

async function insertPhase(input: InputMessage[][]) {
  const parser = new UserAgentParser(10_000);
  const deps = { parseUserAgent: (ua: string | undefined) => parser.parse(ua) };
  const encoded: EncodedRows[] = input.map((b) => processBatch(b, cfg, deps).rows);
  const chunks = joinInto(
    encoded.map((r) => r.body),
    ROWS_PER_INSERT,
    BATCH,
  );
  const raw = joinInto(
    input.map((b) => Buffer.concat(b.flatMap((m) => [m.value as Buffer, NL]))),
    ROWS_PER_INSERT,
    BATCH,
  );
  const dir = mkdtempSync(join(tmpdir(), 'radar-hotpath-'));
  const store = await openMigratedStore({ dataDir: dir, database: 'radar' });
  try {
    await createBaseline(store);
    // Merges would run in the background of later measurements: they are the same work for
    // every variant (same parts), so they are kept out of all of them.
    for (const t of [
      'audit_events',
      'audit_daily',
      'cluster_versions_hourly',
      'baseline_events',
      'baseline_daily',
    ]) {
      await store.client.command({ query: `SYSTEM STOP MERGES ${t}` });
    }
    let token = 0;
    const run = async (
      table: string,
      bodies: Buffer[],
      columns: readonly string[],
      format: RawInsert['format'],
      extra: Record<string, number> = {},
    ) => {
      const c0 = cpuUs();
      for (const body of bodies) {
        await store.rawInsert!({
          table,
          columns,
          format,
          body,
          settings: { ...INSERT_SETTINGS, ...extra, insert_deduplication_token: `bench-${token++}` },
        });
      }
      return Number(((cpuUs() - c0) / N).toFixed(2));
    };
    const out: Record<string, number[]> = {
      worker: [],
      workerSerialParse: [],
      baseline: [],
      workerNoViews: [],
      parseOnly: [],
    };
    const serial = { input_format_parallel_parsing: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const [a, b] = r % 2 === 0 ? [PARALLEL, serial] : [serial, PARALLEL];
      const x = await run('audit_events', chunks, AUDIT_COLUMNS, 'JSONCompactEachRow', a);
      const y = await run('audit_events', chunks, AUDIT_COLUMNS, 'JSONCompactEachRow', b);
      out.worker!.push(a === PARALLEL ? x : y);
      out.workerSerialParse!.push(a === PARALLEL ? y : x);
      out.baseline!.push(await run('baseline_events', raw, BASELINE_COLUMNS, 'JSONEachRow', PARALLEL));
      // The Null probe table: the engine parses the rows and stores nothing.
      out.parseOnly!.push(
        await run('audit_events_probe', chunks, AUDIT_COLUMNS, 'JSONCompactEachRow', serial),
      );
    }
    // The views' share: the same inserts with audit_events' views detached.
    await store.client.command({ query: 'DETACH TABLE audit_events_feed_mv' });
    await store.client.command({ query: 'DETACH TABLE cluster_versions_hourly_mv' });
    for (let r = 0; r < ROUNDS; r++) {
      out.workerNoViews!.push(await run('audit_events', chunks, AUDIT_COLUMNS, 'JSONCompactEachRow', serial));
    }
    const rowBytes = chunks.reduce((n, c) => n + c.length, 0) / N;
    const eventBytes = raw.reduce((n, c) => n + c.length, 0) / N;
    return {
      ...Object.fromEntries(Object.entries(out).map(([k, v]) => [k, median(v)])),
      rowBytes: Math.round(rowBytes),
      eventBytes: Math.round(eventBytes),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const NL = Buffer.from('\n');
/** The engine's default, which the worker's inserts used before this bench. */
const PARALLEL = { input_format_parallel_parsing: 1 };
const INSERT_SETTINGS = {
  async_insert: 0,
  insert_deduplicate: 1,
  deduplicate_blocks_in_dependent_materialized_views: 1,
  date_time_input_format: 'best_effort',
  throw_on_max_partitions_per_insert_block: 0,
  input_format_skip_unknown_fields: 1,
};

/** Batch bodies joined `per / batch` at a time, as the insert queue joins them. */
function joinInto(bodies: Uint8Array[], per: number, batch: number): Buffer[] {
  const k = Math.max(1, Math.round(per / batch));
  const out: Buffer[] = [];
  for (let i = 0; i < bodies.length; i += k) out.push(Buffer.concat(bodies.slice(i, i + k)));
  return out;
}

const BASELINE_COLUMNS = [
  'auditID',
  'stage',
  'verb',
  'requestURI',
  'userAgent',
  'sourceIPs',
  'user',
  'objectRef',
  'responseStatus',
  'requestReceivedTimestamp',
  'stageTimestamp',
  'annotations',
];

/** The baseline consumer's tables (test/bench/baseline-consumer.ts). */
async function createBaseline(store: Store): Promise<void> {
  await store.client.command({
    query: `CREATE TABLE baseline_events (
      auditID String, stage LowCardinality(String), verb LowCardinality(String), requestURI String,
      userAgent String, sourceIPs Array(String),
      user Tuple(username String, uid String, groups Array(String)),
      objectRef Tuple(resource LowCardinality(String), namespace String, name String,
                      apiGroup LowCardinality(String), apiVersion LowCardinality(String)),
      responseStatus Tuple(code UInt16),
      requestReceivedTimestamp DateTime64(6, 'UTC'), stageTimestamp DateTime64(6, 'UTC'),
      annotations Map(String, String)
    ) ENGINE = MergeTree PARTITION BY toDate(stageTimestamp)
      ORDER BY (objectRef.apiGroup, objectRef.resource, verb, userAgent, stageTimestamp)`,
  });
  await store.client.command({
    query: `CREATE TABLE baseline_daily (
      day Date, userAgent String, resource LowCardinality(String), verb LowCardinality(String),
      requests AggregateFunction(uniq, String)
    ) ENGINE = AggregatingMergeTree ORDER BY (day, resource, verb, userAgent)`,
  });
  await store.client.command({
    query: `CREATE MATERIALIZED VIEW baseline_daily_mv TO baseline_daily AS
      SELECT toDate(stageTimestamp) AS day, userAgent, objectRef.resource AS resource, verb,
             uniqState(auditID) AS requests
      FROM baseline_events GROUP BY day, userAgent, resource, verb`,
  });
}

const input = batches();
const result: Record<string, unknown> = {
  bench: 'hotpath',
  node: process.version,
  events: N,
  rounds: ROUNDS,
};
if (PHASE !== 'insert') result.decodeUsPerEvent = decodePhase(input);
if (PHASE !== 'decode') result.insertUsPerEvent = await insertPhase(input);
process.stdout.write(`${JSON.stringify({ ...result, at: new Date().toISOString() })}\n`);
