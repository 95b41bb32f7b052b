import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseUserAgent } from '@radar/client-identity';
import { createLogger, Registry } from '@radar/observability';
import { openMigratedStore, type Store } from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookServer, type WebhookConfig } from './server.js';
import { type StoredAnswer, storeSink } from './sink.js';

const TOKEN = 'a-token-for-the-unit-tests-0123';
const SECRET = 'secret-value-4d2b';
let store: Store;
const servers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  store = await openMigratedStore({
    dataDir: mkdtempSync(join(tmpdir(), 'radar-webhook-')),
    database: 'radar',
  });
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await store.close();
});

let seq = 0;
const event = (over: Record<string, unknown> = {}) => ({
  auditID: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  stage: 'ResponseComplete',
  verb: 'update',
  requestURI: `/apis/apps/v1/namespaces/ns/deployments/d${seq}`,
  user: { username: 'ci' },
  userAgent: 'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47',
  objectRef: {
    resource: 'deployments',
    namespace: 'ns',
    name: `d${seq}`,
    apiGroup: 'apps',
    apiVersion: 'v1',
  },
  responseStatus: { code: 200 },
  requestReceivedTimestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, seq % 60)).toISOString(),
  ...over,
});
const list = (items: unknown[]) =>
  JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items });

async function serve(over: Partial<WebhookConfig> = {}, decodeMaxBytes = 1 << 20) {
  const registry = new Registry();
  const cfg: WebhookConfig = {
    host: '127.0.0.1',
    port: 0,
    path: '/audit',
    bodyLimitBytes: 4 * 1024 * 1024,
    maxDecodedBytes: 8 * 1024 * 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 60_000,
    idleTimeoutMs: 60_000,
    ...over,
  };
  const sink = storeSink(
    store,
    { cluster: 'unit', decode: { maxBytes: decodeMaxBytes } },
    { parseUserAgent },
  );
  const server = await startWebhookServer(cfg, { sink, registry, log: createLogger('test', 'silent') });
  servers.push(server);
  const url = `http://127.0.0.1:${server.port}/audit`;
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      body,
    });
  const metric = async (name: string) => {
    const text = await registry.metrics();
    let sum = 0;
    for (const line of text.split('\n')) if (line.startsWith(name)) sum += Number(line.split(' ').pop());
    return sum;
  };
  return { server, post, metric, sockets: accepted(server.app.server) };
}

/** Server-side sockets, to see how many bytes the server read. */
function accepted(server: import('node:http').Server): Socket[] {
  const out: Socket[] = [];
  server.on('connection', (s: Socket) => out.push(s));
  return out;
}

/** Sends raw bytes and collects what comes back until the server closes the connection. */
function raw(port: number, head: string, body: Buffer = Buffer.alloc(0)): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    sock.on('data', (b) => (got += b.toString('latin1')));
    sock.on('error', (e) => (got ? resolve(got) : reject(e)));
    sock.on('close', () => resolve(got));
    sock.write(head);
    if (body.length > 0) sock.write(body);
  });
}

async function deadLetters(tag: string) {
  const rs = await store.client.query({
    query:
      'SELECT reason, location, payload FROM dead_letters WHERE positionCaseInsensitive(payload, {tag:String}) > 0',
    query_params: { tag },
    format: 'JSONEachRow',
  });
  return rs.json<{ reason: string; location: string; payload: string }>();
}

describe('webhook server', () => {
  it('answers 401 before reading the body, and closes instead of draining it', async () => {
    const { server, sockets } = await serve({ token: TOKEN });
    const declared = 32 * 1024 * 1024;
    const head = `POST /audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`;
    // Only 1 KiB of the 32 MiB is ever sent: an answer and a close prove the server did not wait for it.
    const res = await raw(server.port, head, Buffer.alloc(1024, 0x20));
    expect(res).toMatch(/^HTTP\/1\.1 401 /);
    expect(res.toLowerCase()).toContain('connection: close');
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.destroyed).toBe(true);
    expect(sockets[0]!.bytesRead).toBeLessThan(64 * 1024);
    // Right token, body over the limit by its length: 413, same close.
    const big = head.replace('Host: x', `Host: x\r\nAuthorization: Bearer ${TOKEN}`);
    expect(await raw(server.port, big, Buffer.alloc(1024, 0x20))).toMatch(
      /^HTTP\/1\.1 413 [\s\S]*connection: close/i,
    );
    // An unsupported encoding is refused unread as well.
    const br = big.replace(`${declared}`, '10').replace('Host: x', 'Host: x\r\nContent-Encoding: br');
    expect(await raw(server.port, br)).toMatch(/^HTTP\/1\.1 415 /);
  });

  it('closes connections whose headers or body do not arrive in time (408)', async () => {
    const { server } = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    // Headers never finished; then a body that stops after 10 of 100 bytes.
    expect(await raw(server.port, 'POST /audit HTTP/1.1\r\nHost: x\r\n')).toMatch(/^HTTP\/1\.1 408 /);
    const slow = await raw(
      server.port,
      'POST /audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"items":',
    );
    expect(slow).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('stores a gzip body, answers 413 past the inflated cap and 400 for corrupt gzip', async () => {
    const { post } = await serve({ maxDecodedBytes: 256 * 1024 });
    const body = list([event(), event(), event({ verb: 'explode' })]);
    const res = await post(gzipSync(body), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ events: 3, stored: 2, rejectedCount: 1 });
    const bomb = gzipSync(list(Array.from({ length: 2000 }, () => event())));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const tooBig = await post(bomb, { 'content-encoding': 'gzip' });
    expect([tooBig.status, await tooBig.json()]).toEqual([
      413,
      { error: 'gzip body inflates to more than 262144 bytes' },
    ]);
    const corrupt = await post(gzipSync(body).subarray(0, 40), { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expect(((await corrupt.json()) as { error: string }).error).toMatch(/^gzip body is corrupt/);
  });

  it('accounts for every event of a 200: stored, dropped as a retry, or rejected into dead_letters', async () => {
    const { post } = await serve();
    const tag = `shape-${Date.now()}`;
    const batch = list([
      event(),
      event(),
      event({ verb: 'explode', requestURI: `/${tag}`, requestObject: { p: SECRET } }),
    ]);
    const res = await post(batch);
    // A body read in full keeps the connection alive for the next batch.
    expect(res.headers.get('connection')).toBe('keep-alive');
    const first = (await res.json()) as StoredAnswer;
    expect(first).toEqual({
      events: 3,
      stored: 2,
      dropped: {},
      rejectedCount: 1,
      rejected: [{ reason: 'unknown-verb', detail: 'items[2]: verb: "explode"' }],
      deadLetters: { written: 1, overRequestCap: {}, overMinuteCap: {} },
    });
    const again = (await (await post(batch)).json()) as StoredAnswer;
    expect(again).toMatchObject({ events: 3, stored: 0, dropped: { 'already-stored': 2 }, rejectedCount: 1 });
    const rows = await deadLetters(tag);
    expect(rows.map((r) => r.reason)).toEqual(['unknown-verb', 'unknown-verb']);
    for (const r of rows) expect(r.payload).not.toContain(SECRET);
  });

  it('never answers 2xx for events it dropped for size', async () => {
    // Decode limit 64 KiB, a 500 KiB EventList of ordinary events under the body limit.
    const { post } = await serve({}, 64 * 1024);
    const items = Array.from({ length: 1500 }, () => event());
    const res = await post(list(items));
    const answer = (await res.json()) as StoredAnswer & { error?: string };
    if (res.status === 413) expect(answer.error).toMatch(/too|limit|larger/);
    else {
      expect(res.status).toBe(200);
      expect(answer.rejected.filter((r) => r.reason === 'too-large')).toEqual([]);
      expect(answer.stored + (answer.dropped['stage-superseded'] ?? 0)).toBe(items.length);
    }
  });

  it('junk POST: bounded dead letters, each its item or a cut outline, overflow counted by reason', async () => {
    const { post, metric } = await serve();
    const tag = `junk-${Date.now()}`;
    const junk = Array.from({ length: 5000 }, (_, i) => ({ junk: `${tag}-${i}` }));
    const body = list(junk);
    expect(body.length).toBeGreaterThan(100_000);
    const res = await post(body);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as StoredAnswer;
    expect(answer).toMatchObject({ events: 5000, stored: 0, rejectedCount: 5000 });
    expect(answer.rejected).toHaveLength(100);
    expect(answer.deadLetters.written).toBe(100);
    const over = Object.values(answer.deadLetters.overRequestCap).reduce((a, b) => a + b, 0);
    expect(over).toBe(4900);
    expect(await metric('radar_webhook_dead_letters_not_kept_total')).toBe(4900);
    expect(await metric('radar_webhook_dead_letters_written_total')).toBe(100);
    const rows = await deadLetters(tag);
    for (const r of rows) expect(Buffer.byteLength(r.payload)).toBeLessThanOrEqual(16 * 1024);
    if (rows.length === 100) {
      // The decoder gave each item's byte range: each row holds its own item.
      for (const r of rows) {
        const m = /^bytes (\d+)-(\d+) of the POST$/.exec(r.location);
        expect(r.payload).toBe(body.slice(Number(m![1]), Number(m![2])));
      }
      return;
    }
    // Without ranges the POST is kept once, cut, and the other 99 rows point to it.
    expect(rows).toHaveLength(1);
    const id = /^the whole POST ([0-9a-f]{16}), first 16384 bytes kept$/.exec(rows[0]!.location)?.[1];
    const rs = await store.client.query({
      query:
        'SELECT count() AS n, max(length(payload)) AS longest FROM dead_letters WHERE position(location, {id:String}) > 0',
      query_params: { id: String(id) },
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ n: 100, longest: Buffer.byteLength(rows[0]!.payload) }]);
  });
});
