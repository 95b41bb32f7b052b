/**
 * The yardstick of `pnpm bench:ingest` (issue 14): the simplest pipeline a team could build on the
 * same stack. A kafkajs consumer group joins message values into JSONEachRow inserts of 50,000
 * rows into embedded ClickHouse, which parses the events itself into a table with tuple columns
 * and feeds a daily uniqState rollup by materialized view; offsets are committed after the insert.
 * No user-agent parsing, no stage merge, no dedup, no DLQ: a bad message fails the insert.
 * It inserts with chDB's own API for bytes (`rawInsert`, the bytes inline with the statement), as
 * a team would; BENCH_BASELINE_INSERT=file gives it the store's insert by way of a file instead
 * (packages/store/src/spill.ts), to show what that trick alone is worth.
 * Run as its own process: KAFKA_TOPIC, KAFKA_GROUP_ID, RADAR_DATA_DIR (KAFKA_BROKERS optional).
 */
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { openStore, type RawInsert } from '@radar/store';
import { createChdbConnection } from 'chdb/connection';
import { Kafka, logLevel } from 'kafkajs';

const topic = need('KAFKA_TOPIC');
const groupId = need('KAFKA_GROUP_ID');
const dataDir = need('RADAR_DATA_DIR');
const ROWS_PER_INSERT = 50_000;
const LINGER_MS = 500;

async function open() {
  if (process.env.BENCH_BASELINE_INSERT === 'file') {
    const store = await openStore({ dataDir, database: 'radar' });
    return { client: store.client, insert: store.rawInsert!, close: () => store.close() };
  }
  const connection = createChdbConnection({ path: join(dataDir, 'clickhouse') });
  type Connection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;
  const c = createClient({ connection: connection as unknown as Connection });
  await c.command({ query: 'CREATE DATABASE IF NOT EXISTS radar' });
  await c.command({ query: 'USE radar' });
  const insert = async (p: RawInsert) => {
    await connection.chdb.rawInsert({
      table: p.table,
      columns: p.columns,
      format: p.format,
      values: p.body as Uint8Array,
      settings: p.settings,
    });
  };
  return { client: c, insert, close: () => c.close() };
}

function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`baseline-consumer: ${name} is not set`);
  return v;
}

const { client, insert, close: storeClose } = await open();
await client.command({
  query: `CREATE TABLE IF NOT EXISTS baseline_events (
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
await client.command({
  query: `CREATE TABLE IF NOT EXISTS baseline_daily (
    day Date, userAgent String, resource LowCardinality(String), verb LowCardinality(String),
    requests AggregateFunction(uniq, String)
  ) ENGINE = AggregatingMergeTree ORDER BY (day, resource, verb, userAgent)`,
});
await client.command({
  query: `CREATE MATERIALIZED VIEW IF NOT EXISTS baseline_daily_mv TO baseline_daily AS
    SELECT toDate(stageTimestamp) AS day, userAgent, objectRef.resource AS resource, verb,
           uniqState(auditID) AS requests
    FROM baseline_events GROUP BY day, userAgent, resource, verb`,
});
const COLUMNS = [
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
const SETTINGS = {
  async_insert: 0,
  date_time_input_format: 'best_effort',
  input_format_skip_unknown_fields: 1,
  throw_on_max_partitions_per_insert_block: 0,
};

let rows: Buffer[] = [];
let offsets = new Map<number, string>();
let lastAppend = Date.now();
let chain: Promise<void> = Promise.resolve();

/** Inserts what is buffered, then commits its offsets; flushes run one after another. */
function flush(): Promise<void> {
  chain = chain.then(async () => {
    if (rows.length === 0) return;
    const values = rows;
    const done = offsets;
    rows = [];
    offsets = new Map();
    const parts: Buffer[] = [];
    for (const v of values) parts.push(v, NL);
    await insert({
      table: 'baseline_events',
      columns: COLUMNS,
      format: 'JSONEachRow',
      body: Buffer.concat(parts),
      settings: SETTINGS,
    });
    await consumer.commitOffsets([...done].map(([partition, offset]) => ({ topic, partition, offset })));
  });
  return chain;
}
const NL = Buffer.from('\n');

const kafka = new Kafka({
  clientId: 'radar-baseline',
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  logLevel: logLevel.ERROR,
});
// The worker's fetch size, so the yardstick is not held back by kafkajs' 1 MiB default.
const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 8 << 20, maxBytes: 64 << 20 });
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
const idle = setInterval(() => {
  if (rows.length > 0 && Date.now() - lastAppend >= LINGER_MS) void flush();
}, 100);
await consumer.run({
  autoCommit: false,
  eachBatch: async ({ batch }) => {
    for (const m of batch.messages) if (m.value) rows.push(m.value);
    offsets.set(batch.partition, String(Number(batch.lastOffset()) + 1));
    lastAppend = Date.now();
    if (rows.length >= ROWS_PER_INSERT) await flush();
  },
});
process.stdout.write(`${JSON.stringify({ msg: 'baseline consumer running', port: 0 })}\n`);

process.once('SIGTERM', () => {
  clearInterval(idle);
  void flush()
    .then(() => consumer.disconnect())
    .then(() => storeClose())
    .then(() => process.exit(0));
});
