import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseUserAgent } from '@radar/client-identity';
import { migrate, openStore, type Store } from '@radar/store';
import { AUDIT_COLUMNS } from '@radar/tagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EncodedRows, rowCount } from './encoded.js';
import { ingestStream } from './file.js';
import { insertIsolating, storeReplayed } from './isolate.js';
import { processBatch } from './pipeline.js';

// On the real embedded engine. The engine is made to refuse rows in ways value normalisation
// upstream will never remove: a table constraint on a marker user agent (VIOLATED_CONSTRAINT),
// and bytes patched into encoded lines after the encoder (a lone surrogate escape, a bad time).
const POISON = 'poison-marker/1.0';
const event = (cluster: string, i: number, userAgent = 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47') =>
  JSON.stringify({
    auditID: `${cluster}-${i}`,
    stage: 'ResponseComplete',
    verb: 'update',
    requestURI: `/api/v1/namespaces/ns/configmaps/c${i}`,
    userAgent,
    objectRef: { resource: 'configmaps', namespace: 'ns', name: `c${i}`, apiVersion: 'v1' },
    responseStatus: { code: 200 },
    // Several days: the batch spans partitions, so an insert would write several parts.
    requestReceivedTimestamp: `2026-11-${String(10 + (i % 5)).padStart(2, '0')}T10:00:00.000000Z`,
  });

function rowsOf(cluster: string, n: number, poisoned: readonly number[] = []): EncodedRows {
  const messages = Array.from({ length: n }, (_, i) => ({
    value: event(cluster, i, poisoned.includes(i) ? POISON : undefined),
    partition: 0,
    offset: i,
  }));
  const out = processBatch(
    messages,
    { tagger: { cluster, source: 'test' }, decode: { maxBytes: 1 << 20 } },
    {
      parseUserAgent,
    },
  );
  expect(rowCount(out.rows)).toBe(n);
  return out.rows;
}

/** A line with one cell replaced, serialised as the encoder does (JSON.stringify escapes lone surrogates). */
const withCell =
  (column: (typeof AUDIT_COLUMNS)[number], value: unknown) =>
  (line: string): string => {
    const cells = JSON.parse(line) as unknown[];
    cells[AUDIT_COLUMNS.indexOf(column)] = value;
    return JSON.stringify(cells);
  };

/** The same rows with line i's text replaced (bytes the encoder would never write). */
function patched(rows: EncodedRows, patches: Record<number, (line: string) => string>): EncodedRows {
  const lines = Buffer.from(rows.body).toString('utf8').split('\n').slice(0, -1);
  const body = Buffer.from(lines.map((l, i) => `${patches[i]?.(l) ?? l}\n`).join(''), 'utf8');
  const ends = new Uint32Array(lines.length);
  let at = 0;
  lines.forEach((l, i) => {
    at += Buffer.byteLength(`${patches[i]?.(l) ?? l}\n`);
    ends[i] = at;
  });
  return { ...rows, body, ends };
}

describe('insertIsolating on the embedded engine', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-isolate-')), database: 'radar' });
    await migrate(store);
    await store.client.command({
      query: `ALTER TABLE audit_events ADD CONSTRAINT no_poison CHECK user_agent != '${POISON}'`,
    });
  });
  afterAll(() => store.close());

  const counts = async (cluster: string) => {
    const rs = await store.client.query({
      query: `SELECT (SELECT count() FROM audit_events WHERE cluster = {c:String}) AS raw,
                     (SELECT uniqExact(audit_id) FROM audit_events WHERE cluster = {c:String}) AS ids,
                     (SELECT sum(n) FROM (SELECT uniqMerge(requests) AS n FROM audit_daily WHERE cluster = {c:String} GROUP BY ALL)) AS rollup`,
      query_params: { c: cluster },
      format: 'JSONEachRow',
    });
    return (await rs.json<{ raw: number; ids: number; rollup: number }>())[0]!;
  };

  const parts = async () => {
    const rs = await store.client.query({
      query: "SELECT count() AS n FROM system.parts WHERE database = 'radar' AND table = 'audit_events'",
      format: 'JSONEachRow',
    });
    return Number((await rs.json<{ n: number }>())[0]!.n);
  };

  it('the probe table has the columns and types of audit_events', async () => {
    const rs = await store.client.query({
      query: `SELECT table, groupArray((name, type)) AS cols FROM (SELECT * FROM system.columns
              WHERE database = 'radar' AND table IN ('audit_events', 'audit_events_probe') ORDER BY position)
              GROUP BY table ORDER BY table`,
      format: 'JSONEachRow',
    });
    const [real, probe] = await rs.json<{ cols: unknown[] }>();
    expect(probe!.cols).toEqual(real!.cols);
  });

  it('stores a batch the engine accepts in one insert and refuses nothing', async () => {
    const res = await insertIsolating(store, rowsOf('all-good', 25), 'all-good-0-24');
    expect(res).toEqual({ stored: 25, refused: [] });
    expect(await counts('all-good')).toEqual({ raw: 25, ids: 25, rollup: 25 });
  });

  it('stores every accepted row once and returns each refused row with the engine message and its line', async () => {
    const rows = rowsOf('poison', 40, [3, 17, 39]);
    const res = await insertIsolating(store, rows, 'poison-0-39');
    expect(res.stored).toBe(37);
    expect(res.refused.map((r) => [r.index, r.auditId, r.code])).toEqual([
      [3, 'poison-3', 469],
      [17, 'poison-17', 469],
      [39, 'poison-39', 469],
    ]);
    for (const r of res.refused) {
      expect(r.message).toMatch(/VIOLATED_CONSTRAINT/);
      const cells = JSON.parse(r.line) as unknown[];
      expect(cells[AUDIT_COLUMNS.indexOf('audit_id')]).toBe(r.auditId);
      expect(cells[AUDIT_COLUMNS.indexOf('user_agent')]).toBe(POISON);
      expect(cells[AUDIT_COLUMNS.indexOf('kafka_offset')]).toBe(r.index);
    }
    // The constraint came after the probe table: found on audit_events itself. Exact physical
    // count: no refused insert left a part behind (the batch spans five days).
    expect(await counts('poison')).toEqual({ raw: 37, ids: 37, rollup: 37 });
  });

  it('isolates values the engine cannot parse: a lone surrogate escape and an impossible time', async () => {
    const rows = patched(rowsOf('parse', 12), {
      4: withCell('audit_id', 'bad-\ud800'),
      9: withCell('ts', '+275760-09-13T00:00:00Z'),
    });
    const partsBefore = await parts();
    const res = await insertIsolating(store, rows, 'parse-0-11');
    // Found on the probe table (no parts), then one insert: one part per day of the stored rows
    // (four: both refused rows fall on the fifth).
    expect((await parts()) - partsBefore).toBe(4);
    expect(res.refused.map((r) => [r.index, r.code])).toEqual([
      [4, 25], // CANNOT_PARSE_ESCAPE_SEQUENCE
      [9, 41], // CANNOT_PARSE_DATETIME
    ]);
    expect(res.refused[0]!.line).toContain('"bad-\\ud800"');
    expect(await counts('parse')).toEqual({ raw: 10, ids: 10, rollup: 10 });
  });

  it('a retried isolation with the same token stores nothing twice', async () => {
    const rows = rowsOf('retry', 30, [0, 11]);
    const first = await insertIsolating(store, rows, 'retry-0-29');
    const again = await insertIsolating(store, rows, 'retry-0-29');
    expect(first.refused.map((r) => r.index)).toEqual([0, 11]);
    expect(again.refused.map((r) => r.index)).toEqual([0, 11]);
    expect(await counts('retry')).toEqual({ raw: 28, ids: 28, rollup: 28 });
    // A replay without a token (the worker's retry path) skips what is stored and refuses the rest again.
    const replay = await storeReplayed(store, rows);
    expect(replay.alreadyStored).toBe(28);
    expect(replay.refused.map((r) => r.auditId)).toEqual(['retry-0', 'retry-11']);
    expect(await counts('retry')).toEqual({ raw: 28, ids: 28, rollup: 28 });
  });

  it('throws infrastructure errors (TOO_MANY_PARTS) without splitting or storing anything', async () => {
    const rows = rowsOf('busy', 10, [5]);
    await insertIsolating(store, rowsOf('busy-seed', 5), 'busy-seed');
    await store.client.command({ query: 'SYSTEM STOP MERGES audit_events' });
    await store.client.command({
      query: 'ALTER TABLE audit_events MODIFY SETTING parts_to_throw_insert = 1',
    });
    try {
      await expect(insertIsolating(store, rows, 'busy-0-9')).rejects.toMatchObject({ clickhouseCode: 252 });
    } finally {
      await store.client.command({
        query: 'ALTER TABLE audit_events MODIFY SETTING parts_to_throw_insert = 3000',
      });
      await store.client.command({ query: 'SYSTEM START MERGES audit_events' });
    }
    expect(await counts('busy')).toEqual({ raw: 0, ids: 0, rollup: 0 });
  });
});

describe('file ingest with a row the engine refuses', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({
      dataDir: mkdtempSync(join(tmpdir(), 'radar-isolate-file-')),
      database: 'radar',
    });
    await migrate(store);
    await store.client.command({
      query: `ALTER TABLE audit_events ADD CONSTRAINT no_poison CHECK user_agent != '${POISON}'`,
    });
  });
  afterAll(() => store.close());

  it('stores the other events and reports the refused one as refused-by-store', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => event('file', i, i === 7 ? POISON : undefined));
    const summary = await ingestStream(
      store,
      Readable.from([Buffer.from(lines.join('\n'))]),
      { cluster: 'file', source: 'audit.log', decode: { maxBytes: 1 << 20 }, chunkLines: 10 },
      { parseUserAgent },
    );
    expect(summary.requestsStored).toBe(29);
    expect(summary.rejected).toEqual({ 'refused-by-store': 1 });
    expect(summary.rejectedSamples[0]).toMatchObject({ where: 'auditID file-7', reason: 'refused-by-store' });
    expect(summary.rejectedSamples[0]!.detail).toMatch(/VIOLATED_CONSTRAINT/);
    const rs = await store.client.query({
      query: 'SELECT count() AS n FROM audit_events',
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 29 }]);
  });
});
