import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseUserAgent } from '@radar/client-identity';
import { migrate, openStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesOf, type PackedLines } from './chunk.js';
import { ingestStream } from './file.js';
import { processBatch } from './pipeline.js';

// File ingest pipelines chunks (decode ahead, store behind): what it stores must not depend on it.
const event = (id: string, stage: string, second: number) =>
  JSON.stringify({
    auditID: id,
    stage,
    verb: 'get',
    requestURI: `/api/v1/namespaces/ns/pods/${id}`,
    userAgent: 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47',
    objectRef: { resource: 'pods', namespace: 'ns', name: id, apiVersion: 'v1' },
    responseStatus: { code: 200 },
    requestReceivedTimestamp: `2026-11-20T10:00:${String(second).padStart(2, '0')}.000000Z`,
  });
const cfg = { cluster: 'c', source: 'f.jsonl', decode: { maxBytes: 1 << 20 }, chunkLines: 4 };
const pipeline = { tagger: { cluster: 'c', source: 'file:f.jsonl' }, decode: cfg.decode };

// 3 chunks of 4 lines: a request whose stages straddle chunks 1-2, a bad line in chunk 3, and a
// request of chunk 1 repeated in chunk 3 (stored once, by the already-stored check).
const lines = [
  event('a', 'ResponseComplete', 1),
  event('b', 'ResponseComplete', 2),
  event('c', 'ResponseComplete', 3),
  event('s', 'RequestReceived', 4),
  event('s', 'ResponseComplete', 4),
  event('d', 'ResponseComplete', 5),
  event('e', 'ResponseComplete', 6),
  event('f', 'ResponseComplete', 7),
  '{"not json',
  event('a', 'ResponseComplete', 1),
  event('g', 'ResponseComplete', 8),
];

describe('ingestStream with chunks decoded out of order', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-file-')), database: 'radar' });
    await migrate(store);
  });
  afterAll(() => store.close());

  // One insert per chunk: a's repeat is found by the already-stored check; one insert for all
  // three chunks: by the group's own merge. Either way the same is stored.
  for (const insertRows of [4, 50_000]) {
    it(`merges stages across chunks, skips what an earlier chunk stored, and names the bad line (${insertRows} rows per insert)`, async () => {
      const cluster = `c${insertRows}`;
      // Each chunk's decode finishes later than the next one's: the merge and the store must wait.
      let n = 0;
      const decodeChunk = async (lines: PackedLines) => {
        const delay = 60 - 20 * n++;
        await new Promise((r) => setTimeout(r, delay));
        return processBatch(
          messagesOf(lines),
          { ...pipeline, tagger: { ...pipeline.tagger, cluster } },
          { parseUserAgent },
        );
      };
      const summary = await ingestStream(
        store,
        Readable.from([Buffer.from(lines.join('\n'))]),
        { ...cfg, cluster, insertRows },
        {
          parseUserAgent,
          decodeChunk,
        },
      );
      expect(summary.eventsRead).toBe(11);
      expect(summary.requestsStored).toBe(8);
      // s's first stage (superseded) and a's second copy.
      expect(summary.duplicates).toBe(2);
      expect(summary.rejected).toEqual({ 'invalid-json': 1 });
      expect(summary.rejectedSamples.map((s) => s.where)).toEqual(['f.jsonl:9']);
      const rs = await store.client.query({
        query: `SELECT audit_id, stage FROM audit_events WHERE cluster = {cluster:String} ORDER BY audit_id`,
        query_params: { cluster },
        format: 'JSONEachRow',
      });
      const rows = await rs.json<{ audit_id: string; stage: string }>();
      expect(rows.map((r) => r.audit_id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 's']);
      expect(rows.find((r) => r.audit_id === 's')?.stage).toBe('ResponseComplete');
    });
  }

  it('groups chunks into inserts of insertRows, and stores a request repeated across groups once', async () => {
    const cluster = 'grouped';
    const parts = async () => {
      const rs = await store.client.query({
        query: `SELECT count() AS n FROM system.parts WHERE database = currentDatabase() AND table = 'audit_events'`,
        format: 'JSONEachRow',
      });
      return Number((await rs.json<{ n: number }>())[0]!.n);
    };
    // 12 requests in chunks of 2, inserts of 5 rows: groups of 3 chunks (6 rows), so 2 inserts;
    // request r0 comes again in the last group.
    const input = [
      ...Array.from({ length: 11 }, (_, i) => event(`r${i}`, 'ResponseComplete', i)),
      event('r0', 'ResponseComplete', 0),
    ];
    await store.client.command({ query: 'SYSTEM STOP MERGES audit_events' });
    try {
      const before = await parts();
      const summary = await ingestStream(
        store,
        Readable.from([Buffer.from(input.join('\n'))]),
        { ...cfg, cluster, chunkLines: 2, insertRows: 5 },
        { parseUserAgent },
      );
      expect(summary).toMatchObject({ eventsRead: 12, requestsStored: 11, duplicates: 1 });
      expect((await parts()) - before).toBe(2);
    } finally {
      await store.client.command({ query: 'SYSTEM START MERGES audit_events' });
    }
  });
});

describe('ingestStream chunk bounds', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-file-')), database: 'radar' });
    await migrate(store);
  });
  afterAll(() => store.close());

  it('ends a chunk at chunkBytes of lines, whatever chunkLines allows, and stores every line', async () => {
    // Large events: the line count alone would hold all 12 in one chunk.
    const pad = 'x'.repeat(3000);
    const big = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({
        ...JSON.parse(event(`big${i}`, 'ResponseComplete', i)),
        requestURI: `/api/v1/pods/${pad}${i}`,
      }),
    );
    const sizes: number[] = [];
    const summary = await ingestStream(
      store,
      Readable.from([Buffer.from(big.join('\n'))]),
      { ...cfg, chunkLines: 1000, chunkBytes: 10_000 },
      {
        parseUserAgent,
        decodeChunk: async (lines) => {
          if (lines.ends.length > 0) sizes.push(lines.bytes.length);
          return processBatch(messagesOf(lines), pipeline, { parseUserAgent });
        },
      },
    );
    expect(summary.requestsStored).toBe(12);
    // Each chunk stops at the first line that reaches 10,000 bytes: 4 lines of ~3.3 KB.
    expect(sizes.length).toBe(3);
    for (const s of sizes) expect(s).toBeLessThan(10_000 + 3_400);
  });
});
