import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUserAgent } from '@radar/client-identity';
import { processBatch } from '@radar/ingest';
import { migrate, openStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InsertGroups } from './insert-group.js';

// Group commit on the real embedded engine; a table constraint makes it refuse one row.
const POISON = 'poison-marker/1.0';
const event = (id: string, agent = 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47') => ({
  auditID: id,
  stage: 'ResponseComplete',
  verb: 'get',
  requestURI: `/api/v1/namespaces/ns/pods/${id}`,
  userAgent: agent,
  objectRef: { resource: 'pods', namespace: 'ns', name: id, apiVersion: 'v1' },
  responseStatus: { code: 200 },
  requestReceivedTimestamp: '2026-11-20T10:00:00.000000Z',
});
const rowsOf = (events: object[]) =>
  processBatch(
    [
      {
        value: Buffer.from(
          JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: events }),
        ),
        partition: 0,
        offset: 0,
      },
    ],
    { tagger: { cluster: 'c', source: 'webhook' }, decode: { maxBytes: 1 << 20 } },
    { parseUserAgent },
  ).rows;

describe('InsertGroups', () => {
  let store: Store;
  let inserts = 0;
  beforeAll(async () => {
    const opened = await openStore({
      dataDir: mkdtempSync(join(tmpdir(), 'radar-groups-')),
      database: 'radar',
    });
    await migrate(opened);
    await opened.client.command({
      query: `ALTER TABLE audit_events ADD CONSTRAINT no_poison CHECK user_agent != '${POISON}'`,
    });
    // The real engine, its inserts counted.
    const raw = opened.rawInsert!;
    store = {
      ...opened,
      rawInsert: (p) => {
        if (p.table === 'audit_events') inserts++;
        return raw(p);
      },
    };
  });
  afterAll(() => store.close());

  it('stores POSTs that arrive during an insert together, each answered with its own rows', async () => {
    const groups = new InsertGroups(store);
    inserts = 0;
    const posts = Array.from({ length: 6 }, (_, p) =>
      rowsOf(Array.from({ length: 50 }, (_, i) => event(`g-${p}-${i}`))),
    );
    const answers = await Promise.all(posts.map((rows) => groups.insert(rows)));
    expect(answers.map((a) => a.stored)).toEqual([50, 50, 50, 50, 50, 50]);
    // The first alone, the five that came while it ran in one more.
    expect(inserts).toBe(2);
    const rs = await store.client.query({
      query: `SELECT count() AS n, uniqExact(audit_id) AS ids FROM audit_events WHERE audit_id LIKE 'g-%'`,
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 300, ids: 300 }]);
  });

  it('gives a refused row to the POST that sent it, at its own index; its group is stored', async () => {
    const groups = new InsertGroups(store);
    const posts = [
      rowsOf([event('r-0-0'), event('r-0-1')]),
      rowsOf([event('r-1-0'), event('r-1-1')]),
      rowsOf([event('r-2-0'), event('r-2-1', POISON), event('r-2-2')]),
    ];
    const answers = await Promise.all(posts.map((rows) => groups.insert(rows)));
    expect(answers.map((a) => a.stored)).toEqual([2, 2, 2]);
    expect(answers.map((a) => a.refused.map((r) => [r.index, r.auditId]))).toEqual([[], [], [[1, 'r-2-1']]]);
    const rs = await store.client.query({
      query: `SELECT count() AS n FROM audit_events WHERE audit_id LIKE 'r-%'`,
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 6 }]);
  });

  it('fails every POST of a group when the store is down, and takes the next ones after', async () => {
    let down = true;
    const flaky: Store = {
      ...store,
      rawInsert: (p) => (down ? Promise.reject(new Error('connection refused')) : store.rawInsert!(p)),
    };
    const groups = new InsertGroups(flaky);
    const failed = await Promise.allSettled([
      groups.insert(rowsOf([event('f-0')])),
      groups.insert(rowsOf([event('f-1')])),
    ]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    down = false;
    expect((await groups.insert(rowsOf([event('f-2')]))).stored).toBe(1);
  });
});
