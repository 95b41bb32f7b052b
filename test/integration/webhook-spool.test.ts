import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import { metric, queryDataDir, type RadarProcess, startProcess, waitFor } from '../support/processes.js';

// radar serve's spool (write-ahead log) with the real process: answers are durable on local disk
// before the insert, so a SIGKILL after the 200s loses nothing and a restart stores nothing twice.
const running: RadarProcess[] = [];
afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
});

function serve(dir: string, env: Record<string, string> = {}) {
  const p = startProcess('services/cli/src/main.ts', { RADAR_DATA_DIR: dir, ...env }, [
    'serve',
    '--no-scheduler',
    '--port',
    '0',
  ]);
  running.push(p);
  return p;
}
const list = (items: unknown[]) =>
  JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items });
const post = (port: number, body: string) =>
  fetch(`http://127.0.0.1:${port}/audit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
const bodies = (posts: number, per: number, from = 0) =>
  Array.from({ length: posts }, (_, k) =>
    list(Array.from({ length: per }, (_, i) => auditEvent({}, from + k * per + i))),
  );

async function stored(dir: string) {
  const [r] = await queryDataDir<{ n: number; ids: number }>(
    dir,
    'SELECT count() AS n, uniqExact(audit_id) AS ids FROM audit_events',
  );
  return { n: Number(r!.n), ids: Number(r!.ids) };
}

describe('radar serve spool', () => {
  it('SIGKILL right after 200s, restart on the same data dir: every answered event stored once, retries dropped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-spool-kill-'));
    // Inserts of at most 1,000 rows, started only once 1,000 are pending: at least one POST is
    // still only in the spool when the process is killed.
    const first = serve(dir, { WEBHOOK_SPOOL_INSERT_ROWS: '1000', WEBHOOK_SPOOL_FLUSH_MS: '60000' });
    const port = await first.port;
    const sent = bodies(20, 400);
    let answered = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < sent.length) {
          const res = await post(port, sent[next++]!);
          expect(res.status).toBe(200);
          answered += ((await res.json()) as { stored: number }).stored;
        }
      }),
    );
    expect(answered).toBe(8000);
    expect(await metric(port, 'radar_webhook_spool_records_pending')).toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = serve(dir);
    const port2 = await second.port;
    // The apiserver retries what it saw unanswered: one only in the spool at the kill, one long stored.
    for (const body of [sent[19]!, sent[0]!]) {
      const res = await post(port2, body);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ events: 400, stored: 0, dropped: { 'already-stored': 400 } });
    }
    await waitFor(
      'the spool to drain',
      async () => (await metric(port2, 'radar_webhook_spool_records_pending')) === 0,
    );
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output().slice(-2000)).toBe(0);
    expect(await stored(dir)).toEqual({ n: 8000, ids: 8000 });
  });

  it('a full spool answers 503 with Retry-After, keeps nothing of that POST, and takes it once space is freed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-spool-full-'));
    const p = serve(dir, {
      WEBHOOK_SPOOL_MAX_BYTES: String(64 * 1024),
      WEBHOOK_SPOOL_SEGMENT_BYTES: '4096',
      WEBHOOK_SPOOL_FLUSH_MS: '10000',
    });
    const port = await p.port;
    const sent = bodies(40, 20);
    let ok = 0;
    let refused: { body: string; res: Response } | undefined;
    for (const body of sent) {
      const res = await post(port, body);
      if (res.status === 503) {
        refused = { body, res };
        break;
      }
      expect(res.status).toBe(200);
      ok++;
    }
    expect(refused, 'the spool never filled').toBeDefined();
    expect(refused!.res.headers.get('retry-after')).toBe('5');
    expect(((await refused!.res.json()) as { error: string }).error).toMatch(/^spool full/);
    expect(ok).toBeGreaterThan(0);
    // The drainer inserts and deletes the inserted segments: the same POST is taken now.
    await waitFor(
      'the spool to drain',
      async () => (await metric(port, 'radar_webhook_spool_records_pending')) === 0,
    );
    const again = await post(port, refused!.body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ events: 20, stored: 20 });
    p.child.kill('SIGTERM');
    expect(await p.exited, p.output().slice(-2000)).toBe(0);
    expect(await stored(dir)).toEqual({ n: (ok + 1) * 20, ids: (ok + 1) * 20 });
  });
});
