import { Readable } from 'node:stream';
import type { Store } from './client.js';
import { type Bytes, byteLength, checkNames, partsOf, settingsClause } from './spill.js';

export interface InsertOptions {
  /**
   * Same token, same rows: ClickHouse stores them once (and feeds the materialized views once).
   * Use a token derived from the input position, e.g. `<topic>-<partition>-<first>-<last>`.
   */
  dedupToken?: string;
  /**
   * Every row has exactly these keys: rows are sent as JSONCompactEachRow arrays in this
   * column order, about 30% cheaper for ClickHouse to parse than keyed objects.
   */
  columns?: readonly string[];
}

const TOKEN = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * The settings every insert carries, in the statement itself: chDB runs per-call settings as
 * separate SET statements before the INSERT, which made it re-scan the whole inline body (3-4x
 * slower, docs/performance.md) and left them set on its session.
 */
function insertSettings(store: Store, token: string): Record<string, string | number> {
  if (token !== '' && !TOKEN.test(token)) throw new Error(`bad dedup token: ${token}`);
  return {
    async_insert: 0,
    insert_deduplicate: 1,
    insert_deduplication_token: token,
    deduplicate_blocks_in_dependent_materialized_views: 1,
    date_time_input_format: 'best_effort',
    // Rows span as many days (partitions) as their input does; past 100 the engine would refuse
    // the whole insert for data alone (a log of many days, hostile times). Warn, don't refuse.
    throw_on_max_partitions_per_insert_block: 0,
    // One parsing thread: the parallel parser's chunking and hand-off cost ~2 us of CPU per
    // row on top of the parse (pnpm bench:hotpath), and throughput follows CPU per row when
    // the cores are busy (docs/performance.md).
    input_format_parallel_parsing: 0,
    // The views' SELECTs are planned again for every insert, and JIT-compiling their expressions
    // cost ~12% of a small insert's engine CPU (measured, docs/performance.md) for blocks of a few
    // thousand rows, where compiled code has no time to pay back.
    compile_expressions: 0,
    compile_aggregate_expressions: 0,
    compile_sort_description: 0,
    // A Replacing/Aggregating table otherwise merges each inserted block on its own before
    // writing it: a second sort and merge pass, ~35% of the engine's CPU per row of a 50,000-row
    // insert into audit_events (11.7 -> 7.5 us, views included; docs/performance.md). Ingest
    // already keeps one row per request per batch, and the rows a block would collapse are the
    // ones background merges and FINAL collapse anyway.
    optimize_on_insert: 0,
    ...(store.cluster ? { distributed_foreground_insert: 1 } : {}),
  };
}

async function send(
  store: Store,
  table: string,
  columns: readonly string[] | undefined,
  body: Bytes | string,
  token: string,
): Promise<void> {
  const settings = insertSettings(store, token);
  const format = columns ? 'JSONCompactEachRow' : 'JSONEachRow';
  if (store.rawInsert && columns) {
    await store.rawInsert({
      table,
      columns,
      format,
      body: typeof body === 'string' ? Buffer.from(body) : body,
      settings,
    });
    return;
  }
  const clause = settingsClause(settings);
  const target = columns ? `${table} (${columns.join(', ')})` : table;
  const res = await store.client.exec({
    query: `INSERT INTO ${target} SETTINGS ${clause} FORMAT ${format}`,
    // A server takes the bytes as they are; chDB's client path wants text.
    values: Readable.from(
      typeof body === 'string' ? [body] : partsOf(body).map((b) => bodyChunk(b, store.embedded)),
      { objectMode: false },
    ),
  });
  res.stream.resume();
}

function bodyChunk(body: Uint8Array, asText: boolean): Buffer | string {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return asText ? bytes.toString('utf8') : bytes;
}

/** One INSERT of rows serialised here in one pass and sent as one body. */
export async function insertRows(
  store: Store,
  table: string,
  values: readonly object[],
  opts: InsertOptions = {},
): Promise<void> {
  if (values.length === 0) return;
  const cols = opts.columns;
  checkNames(table, cols);
  let body = '';
  if (cols) {
    const row: unknown[] = new Array(cols.length);
    for (const v of values as readonly Record<string, unknown>[]) {
      for (let i = 0; i < cols.length; i++) row[i] = v[cols[i]!];
      body += `${JSON.stringify(row)}\n`;
    }
  } else {
    for (const v of values) body += `${JSON.stringify(v)}\n`;
  }
  await send(store, table, cols, body, opts.dedupToken ?? '');
}

/**
 * One INSERT of rows already serialised as JSONCompactEachRow lines in `columns` order (the
 * ingest path encodes rows where it tags them), as one body or as parts in order. The bytes are
 * not copied on the way.
 */
export async function insertBody(
  store: Store,
  table: string,
  body: Bytes,
  opts: InsertOptions & { columns: readonly string[] },
): Promise<void> {
  if (byteLength(body) === 0) return;
  checkNames(table, opts.columns);
  await send(store, table, opts.columns, body, opts.dedupToken ?? '');
}
