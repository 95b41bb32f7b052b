import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWithRetry } from './http.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A loopback receiver answering each request with the next status of `statuses` (the last repeats). */
async function receiver(statuses: (number | 'hang')[]): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      bodies.push(body);
      const s = statuses[Math.min(bodies.length - 1, statuses.length - 1)]!;
      if (s === 'hang') return; // never answers
      res.writeHead(s).end(s >= 400 ? 'boom' : 'ok');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

const policy = { timeoutMs: 300, retries: 3, backoffMs: 5 };
const req = (url: string) => ({ url, headers: {}, body: '{"a":1}' });

describe('postWithRetry', () => {
  it('retries 5xx until the receiver accepts', async () => {
    const r = await receiver([500, 503, 200]);
    const out = await postWithRetry(req(r.url), policy);
    expect(out).toMatchObject({ ok: true, attempts: 3, status: 200 });
    expect(r.bodies).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
  });

  it('gives up after the retries and reports the last error', async () => {
    const r = await receiver([500]);
    const out = await postWithRetry(req(r.url), { ...policy, retries: 2 });
    expect(out).toMatchObject({
      ok: false,
      permanent: false,
      attempts: 3,
      status: 500,
      error: 'HTTP 500: boom',
    });
  });

  it('does not retry a request the receiver refuses (4xx)', async () => {
    const r = await receiver([400]);
    const out = await postWithRetry(req(r.url), policy);
    expect(out).toMatchObject({ ok: false, permanent: true, attempts: 1, status: 400 });
  });

  it('times out a receiver that never answers, then retries it', async () => {
    const r = await receiver(['hang', 'hang', 200]);
    const out = await postWithRetry(req(r.url), policy);
    expect(out).toMatchObject({ ok: true, attempts: 3 });
  });

  it('reports a timeout when every attempt hangs', async () => {
    const r = await receiver(['hang']);
    const out = await postWithRetry(req(r.url), { ...policy, retries: 1 });
    expect(out).toMatchObject({
      ok: false,
      permanent: false,
      attempts: 2,
      status: 0,
      error: 'timed out after 300 ms',
    });
  });

  it('names the network error when nothing listens', async () => {
    const r = await receiver([200]);
    server!.close();
    const out = await postWithRetry(req(r.url), { ...policy, retries: 0 });
    expect(out.ok).toBe(false);
    expect(out.error).toContain('ECONNREFUSED');
  });
});
