import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUserAgent } from '@radar/client-identity';
import { migrate, openStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StoredAnswer, storeSink } from './sink.js';

// The all-in-one sink on the real embedded engine, made to refuse one row by a table constraint.
const POISON = 'poison-marker/1.0';
const item = (i: number) => ({
  auditID: `w-${i}`,
  stage: 'ResponseComplete',
  verb: 'get',
  requestURI: `/api/v1/namespaces/ns/pods/p${i}`,
  userAgent: i === 2 ? POISON : 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47',
  objectRef: { resource: 'pods', namespace: 'ns', name: `p${i}`, apiVersion: 'v1' },
  responseStatus: { code: 200 },
  requestReceivedTimestamp: '2026-11-20T10:00:00.000000Z',
});

describe('storeSink when the engine refuses a row', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-sink-')), database: 'radar' });
    await migrate(store);
    await store.client.command({
      query: `ALTER TABLE audit_events ADD CONSTRAINT no_poison CHECK user_agent != '${POISON}'`,
    });
  });
  afterAll(() => store.close());

  it('stores the other events and rejects that one as refused-by-store, dead-lettered', async () => {
    const sink = storeSink(store, { cluster: 'c', decode: { maxBytes: 1 << 20 } }, { parseUserAgent });
    const body = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [0, 1, 2, 3].map(item) };
    const res = (await sink.accept(Buffer.from(JSON.stringify(body)))) as StoredAnswer;
    expect(res.events).toBe(4);
    expect(res.stored).toBe(3);
    expect(res.rejected.map((r) => r.reason)).toEqual(['refused-by-store']);
    expect(res.rejected[0]!.detail).toMatch(/VIOLATED_CONSTRAINT/);
    const rs = await store.client.query({
      query: `SELECT (SELECT count() FROM audit_events) AS stored,
                     (SELECT groupArray(reason) FROM dead_letters) AS dead`,
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ stored: 3, dead: ['refused-by-store'] }]);
  });
});
