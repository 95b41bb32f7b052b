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

  it('waits for the POSTs a sender keeps in flight, so they do not split into alternating halves', async () => {
    const sizes: number[] = [];
    // A cap far above the test's pace: the groups close because every POST came, not by time.
    const groups = new InsertGroups(store, { lingerMs: 60_000, observe: (posts) => sizes.push(posts) });
    const post = (round: number, p: number) =>
      groups.insert(rowsOf(Array.from({ length: 20 }, (_, i) => event(`l-${round}-${p}-${i}`))));
    const first = await Promise.all([0, 1, 2, 3].map((p) => post(0, p)));
    // Answered, the sender sends the next ones one after the other, as an apiserver does.
    const second = await Promise.all(
      [0, 1, 2, 3].map((p) => new Promise((r) => setTimeout(r, p * 20)).then(() => post(1, p))),
    );
    expect([...first, ...second].map((a) => a.stored)).toEqual([20, 20, 20, 20, 20, 20, 20, 20]);
    expect(sizes).toEqual([4, 4]);
  });

  it('stops waiting after lingerMs when fewer POSTs come back than were in flight', async () => {
    const sizes: number[] = [];
    const groups = new InsertGroups(store, { lingerMs: 50, observe: (posts) => sizes.push(posts) });
    await Promise.all([0, 1, 2].map((p) => groups.insert(rowsOf([event(`s-0-${p}`)]))));
    // The sender now sends one POST at a time: it is stored after the linger, not held.
    expect((await groups.insert(rowsOf([event('s-1-0')]))).stored).toBe(1);
    expect(sizes).toEqual([3, 1]);
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
