import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from './client.js';
import { engineErrorCode } from './errors.js';
import { insertBody } from './insert.js';
import { settingsClause } from './spill.js';

const COLUMNS = ['id', 'n'] as const;
const rows = (...r: [string, number][]) => Buffer.from(r.map((x) => `${JSON.stringify(x)}\n`).join(''));

describe('inserts by way of a spill file (embedded engine)', () => {
  let store: Store;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'radar-spill-'));
    // What a process killed mid-insert leaves behind, and a file that is not ours.
    mkdirSync(join(dataDir, 'inserts'));
    writeFileSync(join(dataDir, 'inserts', '1234-7.insert'), '["stale", 1]\n');
    writeFileSync(join(dataDir, 'inserts', 'notes.txt'), 'kept');
    store = await openStore({ dataDir, database: 'radar_spill' });
    await store.client.command({
      query: `CREATE TABLE t (id String, n UInt8, at DateTime DEFAULT now(), CONSTRAINT small CHECK n < 200)
              ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100`,
    });
  });
  afterAll(async () => store.close());
  const count = async () => {
    const rs = await store.client.query({
      query: 'SELECT count() AS c, sum(n) AS s FROM t',
      format: 'JSONEachRow',
    });
    const [r] = (await rs.json()) as { c: number; s: number }[];
    return { c: Number(r!.c), s: Number(r!.s) };
  };

  it('removes stale spill files at open, and only those', () => {
    expect(readdirSync(join(dataDir, 'inserts'))).toEqual(['notes.txt']);
  });

  it('stores the rows, fills defaults of the columns not sent, and leaves no file behind', async () => {
    await insertBody(store, 't', rows(['a', 1], ['b', 2]), { columns: COLUMNS, dedupToken: 'first' });
    expect(await count()).toEqual({ c: 2, s: 3 });
    const rs = await store.client.query({ query: 'SELECT min(at) > 0 AS ok FROM t', format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ ok: 1 }]);
    expect(readdirSync(join(dataDir, 'inserts'))).toEqual(['notes.txt']);
  });

  it('writes a body given as parts one after the other, as one insert', async () => {
    await insertBody(store, 't', [rows(['p1', 10]), rows(['p2', 20], ['p3', 30])], {
      columns: COLUMNS,
      dedupToken: 'parts',
    });
    await insertBody(store, 't', [rows(['p1', 10]), rows(['p2', 20], ['p3', 30])], {
      columns: COLUMNS,
      dedupToken: 'parts',
    });
    const rs = await store.client.query({
      query: "SELECT groupArray(id) AS ids FROM (SELECT id FROM t WHERE id LIKE 'p%' ORDER BY id)",
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ ids: ['p1', 'p2', 'p3'] }]);
    await store.client.command({ query: "DELETE FROM t WHERE id LIKE 'p%'" });
  });

  it('keeps the exactly-once effect: the same token stores the rows once', async () => {
    await insertBody(store, 't', rows(['c', 4]), { columns: COLUMNS, dedupToken: 'second' });
    await insertBody(store, 't', rows(['c', 4]), { columns: COLUMNS, dedupToken: 'second' });
    expect(await count()).toEqual({ c: 3, s: 7 });
  });

  it('refuses bad rows with the engine code and the row, names no spill file, and stores nothing of them', async () => {
    const err = (await insertBody(store, 't', rows(['d', 8], ['e', 250]), { columns: COLUMNS }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(engineErrorCode(err)).toBe(469);
    expect(err.message).toMatch(/VIOLATED_CONSTRAINT/);
    expect(err.message).not.toMatch(/\.insert/);
    const parse = (await insertBody(store, 't', Buffer.from('["f", "x"]\n'), { columns: COLUMNS }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(engineErrorCode(parse)).toBe(27);
    expect(parse.message).toMatch(/Row 1:/);
    expect(await count()).toEqual({ c: 3, s: 7 });
    expect(readdirSync(join(dataDir, 'inserts'))).toEqual(['notes.txt']);
  });

  it('remakes its directory when it was removed under the running store, and refuses nothing for it', async () => {
    rmSync(join(dataDir, 'inserts'), { recursive: true });
    await insertBody(store, 't', rows(['after-rm', 11]), { columns: COLUMNS });
    const rs = await store.client.query({
      query: "SELECT n FROM t WHERE id = 'after-rm'",
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 11 }]);
    expect(readdirSync(join(dataDir, 'inserts'))).toEqual([]);
  });

  it('carries bytes that are not valid in SQL text (quotes, backslashes, NUL, newlines in values)', async () => {
    const id = `q'"\\\u0000\n${'\u{1F600}'}`;
    await insertBody(store, 't', rows([id, 9]), { columns: COLUMNS });
    const rs = await store.client.query({ query: 'SELECT id FROM t WHERE n = 9', format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ id }]);
  });
});

describe('settingsClause', () => {
  it('quotes strings with their quotes and backslashes escaped', () => {
    expect(settingsClause({ a: 1, b: "it's \\ x" })).toBe("a = 1, b = 'it\\'s \\\\ x'");
  });
  it('refuses a setting name that is not a plain identifier', () => {
    expect(() => settingsClause({ 'a = 1; DROP TABLE t; --': 1 })).toThrow(/bad setting name/);
  });
});
