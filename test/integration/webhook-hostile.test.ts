import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import { consumeAll, createTopic, uniqueName } from '../support/kafka.js';
import { metric, queryDataDir, type RadarProcess, startProcess } from '../support/processes.js';

// Issue 15, the webhook's findings, against a real `radar serve` (embedded ClickHouse): each test
// starts its own server, posts what an attacker or a broken apiserver would, stops it and reads
// what was stored.

const TOKEN = 'a-webhook-token-of-32-characters';
const SECRET = `webhook-secret-${randomUUID().slice(0, 8)}`;
const running: RadarProcess[] = [];
afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
});

async function serve(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'radar-hostile-hook-'));
  const p = startProcess('services/cli/src/main.ts', { RADAR_DATA_DIR: dir, WEBHOOK_TOKEN: TOKEN, ...env }, [
    'serve',
    '--no-scheduler',
    '--port',
    '0',
  ]);
  running.push(p);
  const port = await p.port;
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}/audit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
      body,
    });
  const stop = async () => {
    p.child.kill('SIGTERM');
    expect(await p.exited, p.output().slice(-2000)).toBe(0);
  };
  return { dir, port, post, stop };
}

const list = (items: unknown[]) =>
  JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items });

/** Raw bytes in, everything the server sends until it closes the connection out. */
function raw(port: number, head: string, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let got = '';
    sock.on('data', (b) => (got += b.toString('latin1')));
    sock.on('error', (e) => (got ? resolve(got) : reject(e)));
    sock.on('close', () => resolve(got));
    sock.write(head);
    sock.write(body);
  });
}

describe('webhook under hostile input (issue 15)', () => {
  it('finding 12: a request without the token is answered 401 before its body, and not drained', async () => {
    const s = await serve();
    const head =
      'POST /audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${32 * 1024 * 1024}\r\n\r\n`;
    // 1 KiB of a declared 32 MiB: the answer and the server's close come while 32 MiB are unsent,
    // so the server neither read nor waited for the body.
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => raw(s.port, head, Buffer.alloc(1024, 0x20))),
    );
    for (const a of answers) {
      expect(a).toMatch(/^HTTP\/1\.1 401 /);
      expect(a.toLowerCase()).toContain('connection: close');
    }
    expect(await metric(s.port, 'radar_webhook_requests_total')).toBe(10);
    await s.stop();
  });

  it('finding 7: gzip bodies are stored, capped when inflated (413), refused when corrupt (400) or unknown (415)', async () => {
    const s = await serve({ WEBHOOK_MAX_DECODED_BYTES: String(512 * 1024) });
    const items = Array.from({ length: 50 }, (_, i) => auditEvent({}, i));
    const ok = await s.post(gzipSync(list(items)), { 'content-encoding': 'gzip' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ events: 50, stored: 50, rejectedCount: 0 });
    const bomb = gzipSync(Buffer.from(list(Array.from({ length: 2000 }, (_, i) => auditEvent({}, i)))));
    const big = await s.post(bomb, { 'content-encoding': 'gzip' });
    expect([big.status, await big.json()]).toEqual([
      413,
      { error: 'gzip body inflates to more than 524288 bytes' },
    ]);
    const corrupt = await s.post(Buffer.from('\x1f\x8b\x08\x00 not really gzip'), {
      'content-encoding': 'gzip',
    });
    expect(corrupt.status).toBe(400);
    expect((await s.post(list(items), { 'content-encoding': 'br' })).status).toBe(415);
    await s.stop();
    const [n] = await queryDataDir<{ n: number; dead: number }>(
      s.dir,
      'SELECT (SELECT count() FROM audit_events) AS n, (SELECT count() FROM dead_letters) AS dead',
    );
    expect(n).toEqual({ n: 50, dead: 0 });
  });

  it('finding 3: a 5.4 MiB EventList is stored whole or answered 413, never 200 with events dropped', async () => {
    const s = await serve();
    const items = Array.from({ length: 5000 }, (_, i) => auditEvent({}, i));
    const body = list(items);
    expect(body.length).toBeGreaterThan(5 * 1024 * 1024);
    const res = await s.post(body);
    const answer = (await res.json()) as { stored?: number; rejected?: { reason: string }[] };
    expect([200, 413]).toContain(res.status);
    await s.stop();
    const [n] = await queryDataDir<{ n: number; large: number }>(
      s.dir,
      "SELECT (SELECT count() FROM audit_events) AS n, (SELECT count() FROM dead_letters WHERE reason = 'too-large') AS large",
    );
    if (res.status === 200) {
      expect(answer.stored).toBe(5000);
      expect(n).toEqual({ n: 5000, large: 0 });
    } else expect(n).toEqual({ n: 0, large: 0 });
  });

  it('finding 3, radar webhook: a 5.4 MiB POST and events over the Kafka limit are queued or dead-lettered, not 503 forever', async () => {
    const topic = uniqueName('hostile_hook');
    await createTopic(topic, 2);
    await createTopic(`${topic}.dlq`, 1);
    const hook = startProcess('services/cli/src/main.ts', { KAFKA_TOPIC: topic }, ['webhook']);
    running.push(hook);
    const port = await hook.port;
    const send = (body: string) =>
      fetch(`http://127.0.0.1:${port}/audit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const items = Array.from({ length: 5000 }, (_, i) => auditEvent({}, i));
    const big = await send(list(items));
    expect(big.status).toBe(200);
    expect(await big.json()).toEqual({ events: 5000, queued: 5000, rejectedCount: 0, rejected: [] });
    // A 2 MB ConfigMap body: reduced to its paths here, queued. A 2 MB annotation-like field
    // outside any body: too large for Kafka even so, dead-lettered without it.
    const withBody = auditEvent(
      { verb: 'update', resource: 'configmaps', requestObject: { data: { blob: SECRET.repeat(100_000) } } },
      1,
    );
    const hopeless: Record<string, unknown> = {
      ...auditEvent({}, 2),
      annotations: { note: 'n'.repeat(2_000_000) },
    };
    const odd = await send(list([withBody, hopeless]));
    expect(odd.status).toBe(200);
    expect(await odd.json()).toMatchObject({
      events: 2,
      queued: 1,
      rejectedCount: 1,
      rejected: [{ reason: 'too-large' }],
    });
    const onTopic = await consumeAll(topic, 5001);
    expect(new Set(onTopic.map((m) => m.key)).size).toBe(5001);
    const reduced = onTopic.find((m) => m.key === withBody.auditID)!;
    expect(reduced.value!.length).toBeLessThan(10_000);
    expect(reduced.value).not.toContain(SECRET);
    expect(JSON.parse(reduced.value!).requestObject).toMatchObject({ $radarPaths: ['data'] });
    const [dead] = await consumeAll(`${topic}.dlq`, 1);
    expect(dead!.key).toBe(hopeless.auditID);
    expect(dead!.headers['radar-reason']).toBe('too-large');
    expect(Buffer.byteLength(dead!.value!)).toBeLessThanOrEqual(16 * 1024);
    hook.child.kill('SIGTERM');
    expect(await hook.exited).toBe(0);
  });

  it('finding 15: no secret survives in dead_letters, escaped body key or invalid UTF-8 item', async () => {
    const s = await serve();
    const id = () => randomUUID();
    const escaped = `{"auditID":"${id()}","verb":"explode","stage":"ResponseComplete","request\\u004fbject":{"data":{"password":"${SECRET}"}},"RESPONSEOBJECT":"${SECRET}"}`;
    const good = JSON.stringify(auditEvent({}, 1));
    const r1 = await s.post(`{"kind":"EventList","items":[${good},${escaped}]}`);
    expect(await r1.json()).toMatchObject({ events: 2, rejectedCount: 1 });
    const invalid = Buffer.concat([
      Buffer.from(`{"kind":"EventList","items":[${JSON.stringify(auditEvent({}, 2))},`),
      Buffer.from(`{"auditID":"${id()}","verb":"update","request\xffObject":{"p":"${SECRET}"},`, 'latin1'),
      Buffer.from(`"requestObject":{"data":{"password":"${SECRET}\xfe"}}}]}`, 'latin1'),
    ]);
    const r2 = await s.post(invalid);
    expect(r2.status).toBe(200);
    expect(((await r2.json()) as { rejectedCount: number }).rejectedCount).toBeGreaterThanOrEqual(1);
    await s.stop();
    const dead = await queryDataDir<{ reason: string; detail: string; payload: string }>(
      s.dir,
      'SELECT reason, detail, payload FROM dead_letters',
    );
    expect(dead.length).toBeGreaterThanOrEqual(2);
    expect(new Set(dead.map((d) => d.reason))).toContain('invalid-utf8');
    for (const d of dead) expect(`${d.detail} ${d.payload}`).not.toContain(SECRET);
  });

  it('finding 11: 5,000 junk items make capped dead letters, each its own item, the overflow counted', async () => {
    const s = await serve({ WEBHOOK_DEAD_LETTERS_PER_REQUEST: '100', WEBHOOK_DEAD_LETTERS_PER_MINUTE: '60' });
    const tag = randomUUID().slice(0, 8);
    const body = list(Array.from({ length: 5000 }, (_, i) => ({ junk: `${tag}-${i}`, n: i })));
    expect(body.length).toBeGreaterThan(100_000);
    const res = await s.post(body);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as {
      rejectedCount: number;
      rejected: unknown[];
      deadLetters: {
        written: number;
        overRequestCap: Record<string, number>;
        overMinuteCap: Record<string, number>;
      };
    };
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(answer.rejectedCount).toBe(5000);
    expect(answer.rejected).toHaveLength(100);
    // The minute's budget (60) binds before the request's (100): 60 kept, 40 + 4,900 counted.
    expect(answer.deadLetters.written).toBe(60);
    expect(sum(answer.deadLetters.overMinuteCap)).toBe(40);
    expect(sum(answer.deadLetters.overRequestCap)).toBe(4900);
    expect(await metric(s.port, 'radar_webhook_dead_letters_not_kept_total')).toBe(4940);
    expect(await metric(s.port, 'radar_webhook_dead_letters_written_total')).toBe(60);
    await s.stop();
    const dead = await queryDataDir<{ location: string; payload: string }>(
      s.dir,
      'SELECT location, payload FROM dead_letters',
    );
    expect(dead).toHaveLength(60);
    for (const d of dead) {
      expect(Buffer.byteLength(d.payload)).toBeLessThanOrEqual(16 * 1024);
      // With an item range the row holds that one item; without, a cut copy of the POST.
      const m = /^bytes (\d+)-(\d+) of the POST$/.exec(d.location);
      if (m) expect(d.payload).toBe(body.slice(Number(m[1]), Number(m[2])));
      else
        expect(d.location).toMatch(
          /^the whole POST [0-9a-f]{16}, (first 16384 bytes kept|kept with its first dead letter)$/,
        );
    }
  });
});
