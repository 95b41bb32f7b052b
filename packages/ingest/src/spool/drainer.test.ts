import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertRows, migrate, openStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatRows, type EncodedRows, rowCount } from '../encoded.js';
import { insertIsolating, type RefusedRow } from '../isolate.js';
import { SpoolDrainer } from './drainer.js';
import { Spool } from './spool.js';
import { spoolTestRows } from './testing.js';

// On the real embedded engine: what the drainer stores, and that a crash between its insert and
// its checkpoint stores nothing twice.
const POISON = 'poison-marker/1.0';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const rowsOf = (prefix: string, n: number, poisoned: readonly number[] = []): EncodedRows =>
  spoolTestRows(prefix, n, { userAgent: (i) => (poisoned.includes(i) ? POISON : undefined) });

describe('spool drainer', () => {
  let store: Store;
  const dead: { token: string; ids: string[] }[] = [];
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-drainer-')), database: 'radar' });
    await migrate(store);
    await store.client.command({
      query: `ALTER TABLE audit_events ADD CONSTRAINT no_poison CHECK user_agent != '${POISON}'`,
    });
  });
  afterAll(() => store.close());

  const count = async (prefix: string) => {
    const rs = await store.client.query({
      query:
        'SELECT count() AS n, uniqExact(audit_id) AS ids FROM audit_events WHERE startsWith(audit_id, {p:String})',
      query_params: { p: `${prefix}-` },
      format: 'JSONEachRow',
    });
    return (await rs.json<{ n: number; ids: number }>())[0]!;
  };
  const drainer = (spool: Spool, observed: number[] = []) =>
    new SpoolDrainer(spool, store, {
      maxRows: 1000,
      flushMs: 10_000,
      retryMaxMs: 1000,
      log: quiet,
      deadLetter: async (refused, token) => {
        dead.push({ token, ids: refused.map((r) => r.auditId) });
        await letters(refused, token);
      },
      observe: (rows) => observed.push(rows),
    });
  const letters = async (refused: RefusedRow[], token: string) => {
    await insertRows(
      store,
      'dead_letters',
      refused.map((r) => ({
        source: 'test',
        reason: 'refused-by-store',
        detail: r.message,
        location: r.auditId,
        payload: r.line,
      })),
      { dedupToken: token },
    );
  };

  it('joins records into inserts of at most maxRows, refused rows dead-lettered, checkpoint advanced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-drainer-spool-'));
    const spool = await Spool.open({ dir, maxBytes: 1 << 30, diskReserveBytes: 0, log: quiet });
    for (let i = 0; i < 5; i++) await spool.append(rowsOf(`j${i}`, 400, i === 3 ? [7] : []));
    const observed: number[] = [];
    const d = drainer(spool, observed);
    d.start();
    // stop() inserts what is pending without waiting flushMs.
    expect(await d.stop(60_000)).toBe(true);
    expect(observed).toEqual([800, 800, 400]);
    for (let i = 0; i < 5; i++)
      expect(await count(`j${i}`)).toEqual({ n: i === 3 ? 399 : 400, ids: i === 3 ? 399 : 400 });
    expect(dead.at(-1)!.ids).toEqual(['j3-7']);
    expect(dead.at(-1)!.token).toMatch(/^spool-[0-9a-f]{16}-\d+-\d+-\d+-\d+\.dead$/);
    expect(spool.checkpoint().intent).toBeUndefined();
    expect(spool.pending().records).toBe(0);
    await spool.close();
  });

  it('after a crash between the insert and the checkpoint, inserts the same range again: stored once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-drainer-crash-'));
    const spool = await Spool.open({ dir, maxBytes: 1 << 30, diskReserveBytes: 0, log: quiet });
    await spool.append(rowsOf('k0', 300));
    await spool.append(rowsOf('k1', 300, [5]));
    // What the drainer does up to the crash: the intent, then the insert; never the checkpoint.
    const read = await spool.readFront({ maxRows: 1000 });
    if (read.kind !== 'rows') throw new Error('no rows');
    await spool.beginInsert({ from: read.from, to: read.to });
    const first = await insertIsolating(store, concatRows(read.batches), spool.token(read));
    await letters(first.refused, `${spool.token(read)}.dead`);
    await spool.close();
    expect(await count('k0')).toEqual({ n: 300, ids: 300 });

    const again = await Spool.open({ dir, maxBytes: 1 << 30, diskReserveBytes: 0, log: quiet });
    expect(again.checkpoint().intent).toEqual({ from: read.from, to: read.to });
    await again.append(rowsOf('k2', 300));
    const observed: number[] = [];
    const d = drainer(again, observed);
    d.start();
    expect(await d.stop(60_000)).toBe(true);
    // The intent exactly (600 rows, the same token: dropped by the engine), then the rest.
    expect(observed).toEqual([600, 300]);
    for (const p of ['k0', 'k2']) expect(await count(p)).toEqual({ n: 300, ids: 300 });
    expect(await count('k1')).toEqual({ n: 299, ids: 299 });
    // Its dead letter too (migration 0055: the token's repeat is dropped).
    const rs = await store.client.query({
      query: "SELECT count() AS n FROM dead_letters WHERE location = 'k1-5'",
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 1 }]);
    expect(rowCount(concatRows(read.batches))).toBe(600);
    await again.close();
  });
});
