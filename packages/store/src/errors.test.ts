import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseError } from '@clickhouse/client';
import { ENGINE_DATA_ERROR_CODES } from '@radar/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './client.js';
import { engineErrorCode, isDataError, storeErrorKind } from './errors.js';
import { migrate, openStore } from './index.js';
import { insertBody } from './insert.js';

// What the real embedded engine raises for values it refuses, and for overload: the codes decide
// whether the worker splits a batch (data) or backs off (infrastructure).
const COLUMNS = ['audit_id', 'ts', 'stage_rank'];
const line = (id: string, ts: string, rank: unknown = 3) => `${JSON.stringify([id, ts, rank])}\n`;

describe('isDataError on the embedded engine', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-errors-')), database: 'radar' });
    await migrate(store);
  });
  afterAll(() => store.close());

  const refusal = async (body: string): Promise<unknown> => {
    try {
      await insertBody(store, 'audit_events', Buffer.from(body, 'utf8'), { columns: COLUMNS });
    } catch (e) {
      return e;
    }
    throw new Error('the engine accepted the rows');
  };
  const count = async () => {
    const rs = await store.client.query({
      query: 'SELECT count() AS n FROM audit_events',
      format: 'JSONEachRow',
    });
    return Number((await rs.json<{ n: number }>())[0]!.n);
  };

  it.each([
    ['a lone surrogate in a String cell', line('a\ud800b', '2026-11-20T10:00:00Z'), 25],
    ['the same as a JSON escape', line('x', '2026-11-20T10:00:00Z').replace('"x"', '"\\ud800"'), 25],
    ['a DateTime64 beyond year 9999', line('t1', '+275760-09-13T00:00:00Z'), 41],
    ['a DateTime64 before year 0', line('t2', '-000001-01-01T00:00:00Z'), 41],
    ['a bare "0" time', line('t3', '0'), 41],
    ['a negative UInt8', line('n1', '2026-11-20T10:00:00Z', -1), 72],
  ])('%s is a data error (code %#), and nothing of its batch is stored', async (_what, bad, code) => {
    const before = await count();
    // A good row first: the engine refuses the whole insert, it does not keep a prefix.
    const err = await refusal(line(`good-${code}`, '2026-11-21T10:00:00Z') + bad);
    expect(engineErrorCode(err)).toBe(code);
    expect(ENGINE_DATA_ERROR_CODES.has(code)).toBe(true);
    expect(isDataError(err)).toBe(true);
    expect(storeErrorKind(err)).toBe('input');
    expect(await count()).toBe(before);
  });

  it('a violated table constraint is a data error', async () => {
    await store.client.command({
      query: "ALTER TABLE audit_events ADD CONSTRAINT no_marker CHECK audit_id != 'poison'",
    });
    try {
      const err = await refusal(
        line('fine', '2026-11-20T10:00:00Z') + line('poison', '2026-11-20T10:00:00Z'),
      );
      expect(ENGINE_DATA_ERROR_CODES.get(engineErrorCode(err)!)).toBe('VIOLATED_CONSTRAINT');
      expect(isDataError(err)).toBe(true);
    } finally {
      await store.client.command({ query: 'ALTER TABLE audit_events DROP CONSTRAINT no_marker' });
    }
  });

  it('TOO_MANY_PARTS is infrastructure, and so are errors without an engine code', async () => {
    await insertBody(store, 'audit_events', Buffer.from(line('p1', '2026-11-22T10:00:00Z')), {
      columns: COLUMNS,
    });
    await store.client.command({ query: 'SYSTEM STOP MERGES audit_events' });
    await store.client.command({
      query: 'ALTER TABLE audit_events MODIFY SETTING parts_to_throw_insert = 1',
    });
    try {
      const err = await refusal(line('p2', '2026-11-22T10:00:00Z'));
      expect(engineErrorCode(err)).toBe(252);
      expect(isDataError(err)).toBe(false);
      expect(storeErrorKind(err)).toBe('infrastructure');
    } finally {
      await store.client.command({
        query: 'ALTER TABLE audit_events MODIFY SETTING parts_to_throw_insert = 3000',
      });
      await store.client.command({ query: 'SYSTEM START MERGES audit_events' });
    }
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    expect(isDataError(refused)).toBe(false);
    expect(isDataError(new Error('Timeout error.'))).toBe(false);
    expect(isDataError(undefined)).toBe(false);
  });

  it('names every data error code as the engine itself does', async () => {
    const codes = [...ENGINE_DATA_ERROR_CODES.keys()];
    const rs = await store.client.query({
      query: 'SELECT arrayMap(c -> errorCodeToName(c), {codes:Array(UInt32)}) AS names',
      query_params: { codes },
      format: 'JSONEachRow',
    });
    expect((await rs.json<{ names: string[] }>())[0]!.names).toEqual([...ENGINE_DATA_ERROR_CODES.values()]);
  });

  it('reads a server error code the same way (ClickHouseError from the HTTP client)', () => {
    const parse = new ClickHouseError({ message: 'Cannot parse input', code: '27', type: 'X' });
    const memory = new ClickHouseError({ message: 'Memory limit', code: '241', type: 'X' });
    expect(isDataError(parse)).toBe(true);
    expect(isDataError(memory)).toBe(false);
  });
});
