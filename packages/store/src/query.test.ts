import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openStore, type Store } from './client.js';
import { migrate } from './migrate.js';
import { ALL_QUERIES } from './named/index.js';
import { QUERIES_DIR } from './queries.js';
import { defineQuery, placeholdersOf, QueryParamsError, QueryRowsError } from './query.js';
import { paramMismatches } from './query-check.js';

/** A value of the schema's type, enough for the engine to plan and run the statement. */
function sample(schema: z.ZodType): unknown {
  const def = (
    schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } } }
  )._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'readonly':
      return sample(def.innerType!);
    case 'pipe':
      return sample(def.in!);
    case 'date':
      return new Date('2026-03-01T00:00:00Z');
    case 'string':
      return '';
    case 'number':
      return 1;
    case 'array':
      return [];
    default:
      throw new Error(`no sample for ${def.type}`);
  }
}

describe('named queries', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-queries-')), database: 'radar_q' });
    await migrate(store);
  });
  afterAll(async () => store.close());

  it('defines every file of queries/ exactly once', () => {
    const files = readdirSync(QUERIES_DIR)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.replace(/\.sql$/, ''))
      .sort();
    const names = ALL_QUERIES.map((q) => q.name).sort();
    expect(names).toEqual(files);
  });

  it("matches each query's {name:Type} placeholders to its parameter schema", () => {
    expect(ALL_QUERIES.flatMap((q) => paramMismatches(q))).toEqual([]);
  });

  it.each(ALL_QUERIES.map((q) => [q.name, q] as const))(
    '%s runs on the engine and its rows parse',
    async (_, q) => {
      const shape = q.params.shape as Record<string, z.ZodType>;
      const params = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, sample(s)]));
      const out = await q.tryRun(store, params as never);
      expect(out).toMatchObject({ ok: true });
    },
  );

  it('encodes Dates by the placeholder type and parses rows once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-q-'));
    writeFileSync(
      join(dir, 'probe.sql'),
      "-- probe\nSELECT toString({d:Date}) AS d, toString({t:DateTime64(3, 'UTC')}) AS t, toUInt64(7) AS n",
    );
    const q = defineQuery({
      name: 'probe',
      dir,
      params: z.object({ d: z.date(), t: z.date() }),
      row: z.object({ d: z.string(), t: z.string(), n: z.number() }),
    });
    const at = new Date('2026-03-02T03:04:05.678Z');
    expect(await q.run(store, { d: at, t: at })).toEqual([
      { d: '2026-03-02', t: '2026-03-02 03:04:05.678', n: 7 },
    ]);
    expect(placeholdersOf(q.source().sql)).toEqual(
      new Map([
        ['d', 'Date'],
        ['t', "DateTime64(3, 'UTC')"],
      ]),
    );
  });

  it('refuses bad parameters before the engine and rows that do not fit, naming the query', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-q-'));
    writeFileSync(join(dir, 'probe.sql'), "SELECT 'x' AS n WHERE {k:String} != ''");
    const q = defineQuery({
      name: 'probe',
      dir,
      params: z.object({ k: z.string() }),
      row: z.object({ n: z.number() }),
    });
    await expect(q.run(store, { k: 3 } as never)).rejects.toThrow(QueryParamsError);
    await expect(q.run(store, { k: 3 } as never)).rejects.toThrow(/query probe: bad parameters: k:/);
    await expect(q.run(store, { k: 'a' })).rejects.toThrow(QueryRowsError);
    const out = await q.tryRun(store, { k: 'a' });
    expect(out.ok).toBe(false);
    expect(!out.ok && String(out.error)).toMatch(/query probe: rows do not fit its schema: 0\.n:/);
  });

  it('reports a placeholder without a parameter, an unused parameter and a wrong type', () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-q-'));
    writeFileSync(join(dir, 'probe.sql'), 'SELECT 1 WHERE {a:String} = {b:UInt8}');
    const q = defineQuery({
      name: 'probe',
      dir,
      params: z.object({ a: z.number(), c: z.string() }),
      row: z.object({}),
    });
    expect(paramMismatches(q)).toEqual([
      'probe: {a:String} does not fit its schema (number)',
      'probe: {b:UInt8} has no parameter',
      'probe: parameter c is not in the SQL',
    ]);
  });
});
