import { ChunkBuilder, decodeRows } from '@radar/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessDecoder } from './decoder.js';
import { DecodePool } from './pool.js';
import { testDecoderConfig } from './testing.js';

const cfg = testDecoderConfig({ recentCapacity: 100 });
const event = (id: string, stage = 'ResponseComplete') => ({
  auditID: id,
  stage,
  verb: 'update',
  requestURI: '/api/v1/namespaces/ns/configmaps/x',
  userAgent: 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47',
  objectRef: { resource: 'configmaps', namespace: 'ns', name: 'x', apiVersion: 'v1' },
  requestReceivedTimestamp: '2026-11-20T10:00:00.000000Z',
});
const messages = [
  JSON.stringify(event('a', 'RequestReceived')),
  '{"auditID": "truncated',
  null,
  JSON.stringify({ kind: 'EventList', items: [event('b'), { ...event('c'), verb: 'fly' }] }),
  JSON.stringify(event('a')),
  Buffer.from([0x7b, 0xff, 0x7d]),
].map((v, i) => ({ value: v === null ? null : Buffer.from(v), offset: String(100 + i) }));
const batch = { topic: 't', partition: 3, messages };

describe('DecodePool', () => {
  const pool = new DecodePool(cfg, 2);
  afterAll(() => pool.close());

  it('decodes packed lines (a file chunk) as their messages, and hands their buffer back', async () => {
    const b = new ChunkBuilder();
    for (const id of ['packed-1', 'packed-2']) b.push(Buffer.from(JSON.stringify(event(id))));
    b.push(Buffer.from('{"broken'));
    const lines = b.take();
    const buffer = lines.bytes.buffer as ArrayBuffer;
    const size = lines.bytes.length;
    let back: ArrayBuffer | undefined;
    const out = await pool.decodePacked({
      topic: 'file',
      partition: 0,
      ...lines,
      returned: (x) => (back = x),
    });
    expect(out.rows.ids).toEqual(['packed-1', 'packed-2']);
    // The bad line comes back by its index in the chunk.
    expect(out.rejected.map((r) => [r.index, r.reason])).toEqual([[2, 'invalid-json']]);
    // Moved to the thread (detached here) and back whole.
    expect(buffer.byteLength).toBe(0);
    expect(size).toBeGreaterThan(0);
    expect(back?.byteLength ?? 0).toBeGreaterThanOrEqual(size);
  });

  it('tags each request with the apiserver its batch names, on a thread as in process', async () => {
    // IDs of its own: the threads' recent-request memory must not see the other tests' requests.
    const own = (p: string) =>
      ['1', '2'].map((n, i) => ({
        value: Buffer.from(JSON.stringify(event(`${p}${n}`))),
        offset: String(i),
      }));
    const named = {
      topic: 't',
      partition: 7,
      messages: own('named-'),
      apiserver: { name: 'cp-2', version: 'v1.28.3' },
    };
    for (const out of await Promise.all([pool.decode(named), inProcessDecoder(cfg).decode(named)])) {
      expect(decodeRows(out.rows).map((r) => [r.apiserver, r.apiserver_version])).toEqual([
        ['cp-2', 'v1.28.3'],
        ['cp-2', 'v1.28.3'],
      ]);
    }
    const plain = await pool.decode({ topic: 't', partition: 8, messages: own('plain-') });
    expect(decodeRows(plain.rows).map((r) => r.apiserver)).toEqual(['', '']);
  });

  it('tags each request with the apiserver of its own message (Kafka headers), on a thread as in process', async () => {
    const table = [undefined, { name: 'cp-1', version: 'v1.27.9' }, { name: 'cp-2', version: 'v1.28.3' }];
    const req = () => ({
      topic: 't',
      partition: 9,
      // An EventList message: both its items get the message's identity.
      messages: [
        JSON.stringify(event('per-1')),
        JSON.stringify(event('per-2')),
        JSON.stringify(event('per-3')),
        JSON.stringify({ kind: 'EventList', items: [event('per-4'), event('per-5')] }),
      ].map((v, i) => ({ value: Buffer.from(v), offset: String(i) })),
      apiserver: { name: 'file-default', version: '' },
      apiservers: { table, of: new Uint8Array([1, 2, 0, 2]) },
    });
    const threaded = req();
    const [onThread, local] = await Promise.all([pool.decode(threaded), inProcessDecoder(cfg).decode(req())]);
    // Moved to the thread, not copied.
    expect(threaded.apiservers.of.byteLength).toBe(0);
    for (const out of [onThread, local]) {
      expect(decodeRows(out.rows).map((r) => [r.audit_id, r.apiserver, r.apiserver_version])).toEqual([
        ['per-1', 'cp-1', 'v1.27.9'],
        ['per-2', 'cp-2', 'v1.28.3'],
        ['per-3', 'file-default', ''],
        ['per-4', 'cp-2', 'v1.28.3'],
        ['per-5', 'cp-2', 'v1.28.3'],
      ]);
    }
  });

  it('decodes on a thread exactly as in process: rows, rejects with their message, drops', async () => {
    const [threaded, local] = await Promise.all([pool.decode(batch), inProcessDecoder(cfg).decode(batch)]);
    expect(Buffer.from(threaded.rows.body).equals(Buffer.from(local.rows.body))).toBe(true);
    expect(decodeRows(threaded.rows).map((r) => [r.audit_id, r.stage, r.kafka_offset])).toEqual([
      ['a', 'ResponseComplete', 104],
      ['b', 'ResponseComplete', 103],
    ]);
    expect(threaded.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'invalid-json'],
      [3, 'unknown-verb'],
      [5, 'invalid-utf8'],
    ]);
    expect(threaded.dropped).toEqual(local.dropped);
    expect(threaded.dropped).toMatchObject({ 'empty-line': 1, 'stage-superseded': 1 });
  });

  it('drops requests its thread sent recently, until reset', async () => {
    const again = await pool.decode(batch);
    expect(again.duplicates).toBe(2);
    expect(again.rows.ends).toHaveLength(0);
    pool.reset();
    expect((await pool.decode(batch)).duplicates).toBe(0);
  });

  it('gives up on threads that cannot start, and says so once', async () => {
    const errors: boolean[] = [];
    const broken = new DecodePool(
      cfg,
      1,
      (_err, fatal) => errors.push(fatal),
      new URL('data:text/javascript,throw new Error("cannot load")'),
    );
    await expect(broken.decode(batch)).rejects.toThrow(/cannot load|exited/);
    while (errors.at(-1) !== true) await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual([false, false, true]);
    await expect(broken.decode(batch)).rejects.toThrow(/closed/);
    await broken.close();
  });
});
