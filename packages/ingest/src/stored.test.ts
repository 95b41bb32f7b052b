import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUserAgent } from '@radar/client-identity';
import { openMigratedStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EncodedRows, rowCount } from './encoded.js';
import { processBatch } from './pipeline.js';
import { insertAuditRows } from './sink.js';
import { withoutStored } from './stored.js';

// On the real embedded engine: both ways of finding stored requests must give the same split.
const event = (cluster: string, i: number, stage: string) =>
  JSON.stringify({
    auditID: `${cluster}-${i}`,
    stage,
    verb: 'update',
    requestURI: `/api/v1/namespaces/ns/configmaps/c${i}`,
    userAgent: 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47',
    objectRef: { resource: 'configmaps', namespace: 'ns', name: `c${i}`, apiVersion: 'v1' },
    ...(stage === 'ResponseComplete' && { responseStatus: { code: 200 } }),
    requestReceivedTimestamp: `2026-11-20T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.250000Z`,
  });

function rowsOf(cluster: string, ids: readonly number[], stage = 'ResponseComplete'): EncodedRows {
  const messages = ids.map((i, k) => ({ value: event(cluster, i, stage), partition: 0, offset: k }));
  const out = processBatch(
    messages,
    { tagger: { cluster, source: 'test' }, decode: { maxBytes: 1 << 20 } },
    { parseUserAgent },
  );
  expect(rowCount(out.rows)).toBe(ids.length);
  return out.rows;
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe('withoutStored', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openMigratedStore({
      dataDir: mkdtempSync(join(tmpdir(), 'radar-stored-')),
      database: 'radar',
    });
    // Requests 0-99 stored complete, 100-149 only at their first stage; another cluster's 0-199.
    await insertAuditRows(store, rowsOf('a', range(0, 100)));
    await insertAuditRows(store, rowsOf('a', range(100, 150), 'RequestReceived'));
    await insertAuditRows(store, rowsOf('b', range(0, 200)));
  });
  afterAll(() => store.close());

  // A cap of 1 sends every check to the ID match: the two must agree.
  for (const [how, rangeCap] of [
    ['reading the range', undefined],
    ['matching IDs past the cap', 1],
  ] as const) {
    it(`splits by stored stage, ${how}`, async () => {
      const rows = rowsOf('a', range(50, 200));
      const out = await withoutStored(store, rows, rangeCap === undefined ? {} : { rangeCap });
      // 50-99 are stored complete; 100-149 only earlier, so their complete stage is new; 150-199 new.
      expect(out.alreadyStored).toBe(50);
      expect(out.stored.ids).toEqual(range(50, 100).map((i) => `a-${i}`));
      expect(out.fresh.ids).toEqual(range(100, 200).map((i) => `a-${i}`));
    });

    it(`finds an earlier stage already stored, ${how}`, async () => {
      const out = await withoutStored(
        store,
        rowsOf('a', range(120, 160), 'RequestReceived'),
        rangeCap === undefined ? {} : { rangeCap },
      );
      expect(out.alreadyStored).toBe(30);
      expect(out.fresh.ids).toEqual(range(150, 160).map((i) => `a-${i}`));
    });
  }

  it('gives new rows back as they are (no copy) when the range holds only their neighbours', async () => {
    // 150-159 start a second after request 149, stored: found by the range, none of them.
    const rows = rowsOf('a', range(150, 160));
    const out = await withoutStored(store, rows);
    expect(out.alreadyStored).toBe(0);
    expect(out.fresh).toBe(rows);
  });

  it('keeps the later stage when a request is stored at two, not yet merged', async () => {
    await store.client.command({ query: 'SYSTEM STOP MERGES audit_events' });
    try {
      await insertAuditRows(store, rowsOf('c', range(0, 10)));
      await insertAuditRows(store, rowsOf('c', range(0, 10), 'RequestReceived'));
      const out = await withoutStored(store, rowsOf('c', range(0, 10)));
      expect(out.alreadyStored).toBe(10);
    } finally {
      await store.client.command({ query: 'SYSTEM START MERGES audit_events' });
    }
  });
});
