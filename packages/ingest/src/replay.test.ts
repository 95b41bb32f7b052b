import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseUserAgent } from '@radar/client-identity';
import { migrate, openStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestStream } from './file.js';

const deps = { parseUserAgent };
const event = (i: number) =>
  JSON.stringify({
    auditID: `id-${i}`,
    stage: 'ResponseComplete',
    verb: 'update',
    requestURI: `/apis/apps/v1/namespaces/ns/deployments/d${i}`,
    user: { username: 'ci' },
    userAgent: 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47',
    objectRef: {
      resource: 'deployments',
      namespace: 'ns',
      name: `d${i}`,
      apiGroup: 'apps',
      apiVersion: 'v1',
    },
    responseStatus: { code: 200 },
    requestReceivedTimestamp: `2026-11-20T10:00:${String(i % 60).padStart(2, '0')}.000000Z`,
  });
const file = (from: number, to: number) =>
  Readable.from([Buffer.from(Array.from({ length: to - from }, (_, k) => event(from + k)).join('\n'))]);
const cfg = { cluster: 'c', source: 'f', decode: { maxBytes: 1 << 20 }, chunkLines: 50 };

async function counts(store: Store) {
  const rs = await store.client.query({
    query: `SELECT (SELECT count() FROM audit_events) AS raw,
                   (SELECT sum(n) FROM (SELECT uniqMerge(requests) AS n FROM audit_daily GROUP BY ALL)) AS rollup`,
    format: 'JSONEachRow',
  });
  return (await rs.json<{ raw: number; rollup: number }>())[0];
}

describe('replays heal a rollup that missed stored requests', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-replay-')), database: 'radar' });
    await migrate(store);
  });
  afterAll(() => store.close());

  it('counts requests stored without their rollup rows when they come again, and stores nothing twice', async () => {
    // A crash between the raw insert and its view: raw rows exist, the rollup never saw them.
    await store.client.command({ query: 'DETACH TABLE audit_events_feed_mv' });
    await ingestStream(store, file(0, 120), cfg, deps);
    await store.client.command({ query: 'ATTACH TABLE audit_events_feed_mv' });
    expect(await counts(store)).toEqual({ raw: 120, rollup: 0 });

    const replay = await ingestStream(store, file(0, 200), cfg, deps);
    expect(replay).toMatchObject({ requestsStored: 80, duplicates: 120 });
    expect(await counts(store)).toEqual({ raw: 200, rollup: 200 });
  });
});
