/**
 * pnpm bench:engine-insert — what the embedded engine spends on audit_events inserts by insert
 * size and settings, without HTTP, Kafka or decoding in the way (issue 14: why small inserts cost
 * more per row, where the engine's memory goes). BENCH_EVENTS bench events are decoded once as
 * 400-event EventLists, then inserted BENCH_GROUP rows at a time (a multiple of 400, or fewer
 * than 400: the first rows of each list) into a fresh migrated store in this process; CPU is
 * counted until background merges settle.
 * Env: BENCH_VARIANTS='[{},{"setting":0}]' alternates inserts between these extra insert settings
 * (the same-run comparison: CPU and wall time kept per variant); BENCH_SQL runs statements
 * first (`;`-separated, e.g. an ALTER of a table setting, DETACH TABLE of a view, SYSTEM STOP MERGES).
 * Prints one JSON line: CPU us per row per variant, CPU per thread kind (engine threads by name),
 * peak RSS and the engine's own peak tracked memory (system.metrics MemoryTracking).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatRows, type EncodedRows, processBatch } from '@radar/ingest';
import { openMigratedStore } from '@radar/store';
import { AUDIT_COLUMNS } from '@radar/tagger';
import { auditEvent } from '../support/events.js';

const N = Number(process.env.BENCH_EVENTS ?? 80_000);
const GROUP = Number(process.env.BENCH_GROUP ?? 3200);
const variants: Record<string, string | number>[] = JSON.parse(process.env.BENCH_VARIANTS ?? '[{}]');

const lists: EncodedRows[] = [];
for (let i = 0; i < N; i += 400) {
  const items = [];
  for (let j = i; j < Math.min(N, i + 400); j++) items.push(auditEvent({}, j));
  const body = Buffer.from(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items }));
  const out = processBatch(
    [{ value: body, partition: 0, offset: 0 }],
    {
      tagger: { cluster: 'c', source: 'webhook' },
      decode: { maxBytes: 1 << 20, maxDocumentBytes: 64 << 20 },
    },
    { parseUserAgent: () => ({}) as never },
  );
  lists.push(out.rows);
}
const groups: EncodedRows[] = [];
if (GROUP < 400) for (const l of lists) groups.push(firstRows(l, GROUP));
else
  for (let i = 0; i < lists.length; i += GROUP / 400)
    groups.push(concatRows(lists.slice(i, i + GROUP / 400)));
const rows = groups.reduce((s, g) => s + g.ids.length, 0);

const dir = mkdtempSync(join(tmpdir(), 'radar-bench-engine-'));
const store = await openMigratedStore({ dataDir: dir, database: 'radar' });
for (const q of (process.env.BENCH_SQL ?? '').split(';').filter((x) => x.trim()))
  await store.client.command({ query: q });
// What packages/store sends with every insert, without a dedup token (the webhook's case).
const base = {
  async_insert: 0,
  insert_deduplicate: 1,
  insert_deduplication_token: '',
  deduplicate_blocks_in_dependent_materialized_views: 1,
  date_time_input_format: 'best_effort',
  throw_on_max_partitions_per_insert_block: 0,
  compile_expressions: 0,
  compile_aggregate_expressions: 0,
  compile_sort_description: 0,
};

let peakRss = 0;
let peakTracked = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  scalar("SELECT value AS v FROM system.metrics WHERE metric = 'MemoryTracking'").then(
    (v) => (peakTracked = Math.max(peakTracked, v)),
    () => undefined,
  );
}, 100);

const threads0 = threadCpu();
const perVariant = variants.map(() => ({ cpuUs: 0, wallMs: 0, rows: 0, inserts: 0 }));
const c0 = process.cpuUsage();
for (const [i, g] of groups.entries()) {
  const v = perVariant[i % variants.length]!;
  const s0 = process.cpuUsage();
  const w0 = performance.now();
  await store.rawInsert!({
    table: 'audit_events',
    columns: AUDIT_COLUMNS,
    format: 'JSONCompactEachRow',
    body: g.body,
    settings: { ...base, ...variants[i % variants.length] },
  });
  const d = process.cpuUsage(s0);
  v.cpuUs += d.user + d.system;
  v.wallMs += performance.now() - w0;
  v.rows += g.ids.length;
  v.inserts++;
}
const inserting = process.cpuUsage(c0);
// Merges caused by the inserts are part of their cost.
for (let quiet = 0; quiet < 3; ) {
  await new Promise((r) => setTimeout(r, 500));
  quiet = (await scalar('SELECT count() AS v FROM system.merges')) === 0 ? quiet + 1 : 0;
}
const total = process.cpuUsage(c0);
clearInterval(sampler);
const threads1 = threadCpu();
await store.close();
rmSync(dir, { recursive: true, force: true });

const perRow = (c: NodeJS.CpuUsage) => Number(((c.user + c.system) / rows).toFixed(1));
const mb = (b: number) => Math.round(b / 1048576);
process.stdout.write(
  `${JSON.stringify({
    bench: 'engine-insert',
    events: rows,
    rowsPerInsert: GROUP,
    variants: perVariant.map((p, i) => ({
      settings: variants[i],
      cpuUsPerRow: Number((p.cpuUs / p.rows).toFixed(1)),
      wallMsPerInsert: Number((p.wallMs / p.inserts).toFixed(1)),
    })),
    insertCpuUsPerRow: perRow(inserting),
    withMergesCpuUsPerRow: perRow(total),
    threadCpuUsPerRow: Object.fromEntries(
      [...threads1]
        .map(([k, s]) => [k, Number((((s - (threads0.get(k) ?? 0)) * 1e6) / rows).toFixed(1))] as const)
        .filter(([, us]) => us >= 0.5),
    ),
    peakRssMb: mb(peakRss),
    enginePeakTrackedMb: mb(peakTracked),
    at: new Date().toISOString(),
  })}\n`,
);

async function scalar(query: string): Promise<number> {
  const rs = await store.client.query({ query, format: 'JSONEachRow' });
  const [row] = (await rs.json()) as { v: number | string }[];
  return Number(row?.v ?? 0);
}

/** CPU seconds of this process's threads by name (engine threads are named by kind). */
function threadCpu(): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      m.set(name, (m.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return m;
}

function firstRows(r: EncodedRows, n: number): EncodedRows {
  return {
    ...r,
    body: r.body.subarray(0, r.ends[n - 1]!),
    ends: r.ends.slice(0, n),
    ids: r.ids.slice(0, n),
    ts: r.ts.slice(0, n),
    ranks: r.ranks.subarray(0, n),
  };
}
