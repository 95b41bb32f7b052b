import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseUserAgent } from '@radar/client-identity';
import { migrate, openStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestStream } from './file.js';
import { type InputMessage, processBatch } from './pipeline.js';

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

  it('merges stages across chunks, skips what an earlier chunk stored, and names the bad line', async () => {
    // Each chunk's decode finishes later than the next one's: the merge and the store must wait.
    let n = 0;
    const decodeChunk = async (messages: readonly InputMessage[]) => {
      const delay = 60 - 20 * n++;
      await new Promise((r) => setTimeout(r, delay));
      return processBatch(messages, pipeline, { parseUserAgent });
    };
    const summary = await ingestStream(store, Readable.from([Buffer.from(lines.join('\n'))]), cfg, {
      parseUserAgent,
      decodeChunk,
    });
    expect(summary.eventsRead).toBe(11);
    expect(summary.requestsStored).toBe(8);
    // s's first stage (superseded) and a's second copy.
    expect(summary.duplicates).toBe(2);
    expect(summary.rejected).toEqual({ 'invalid-json': 1 });
    expect(summary.rejectedSamples.map((s) => s.where)).toEqual(['f.jsonl:9']);
    const rs = await store.client.query({
      query: `SELECT audit_id, stage FROM audit_events ORDER BY audit_id`,
      format: 'JSONEachRow',
    });
    const rows = await rs.json<{ audit_id: string; stage: string }>();
    expect(rows.map((r) => r.audit_id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 's']);
    expect(rows.find((r) => r.audit_id === 's')?.stage).toBe('ResponseComplete');
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
        decodeChunk: async (messages) => {
          if (messages.length > 0) sizes.push(messages.reduce((n, m) => n + (m.value?.length ?? 0), 0));
          return processBatch(messages, pipeline, { parseUserAgent });
        },
      },
    );
    expect(summary.requestsStored).toBe(12);
    // Each chunk stops at the first line that reaches 10,000 bytes: 4 lines of ~3.3 KB.
    expect(sizes.length).toBe(3);
    for (const s of sizes) expect(s).toBeLessThan(10_000 + 3_400);
  });
});
