import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecentRequests, spoolTestRows } from '@radar/ingest';
import { migrate, openStore, type Store } from '@radar/store';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWebhookSpool } from './spool.js';

// radar serve's spool on the real embedded engine: what /healthz and /metrics say of it, and that
// closing it stores what was pending.
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const rowsOf = (prefix: string, n: number) => spoolTestRows(prefix, n);

const metric = async (registry: Registry, name: string) =>
  (await registry.getSingleMetric(name)?.get())?.values[0]?.value;

describe('webhook spool', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'radar-wspool-')), database: 'radar' });
    await migrate(store);
  });
  afterAll(() => store.close());

  const cfg = (dir: string, maxBytes: number) => ({
    dir,
    maxBytes,
    segmentBytes: 1 << 20,
    // Long enough that nothing is drained before close() in these tests.
    flushMs: 60_000,
    insertRows: 50_000,
    retryMaxMs: 1000,
    diskReserveBytes: 0,
  });

  it('turns /healthz red before the spool is full, reports pending records, and stores them on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-wspool-dir-'));
    const registry = new Registry();
    // 40 MiB: one append of a few KB leaves it well within, past half it is "nearly full".
    const ws = await openWebhookSpool(cfg(dir, 40 * 1024 * 1024), {
      store,
      registry,
      log: quiet,
      recent: new RecentRequests(1000),
    });
    expect(ws.health()).toBeNull();
    const ok = await ws.spool.append(rowsOf('h', 20));
    expect(ok.ok).toBe(true);
    expect(ws.health()).toBeNull();
    expect(await metric(registry, 'radar_webhook_spool_records_pending')).toBe(1);
    expect(Number(await metric(registry, 'radar_webhook_spool_bytes'))).toBeGreaterThan(0);

    expect(await ws.close(10_000)).toBe(true);
    const rs = await store.client.query({
      query: "SELECT count() AS n FROM audit_events WHERE startsWith(audit_id, 'h-')",
      format: 'JSONEachRow',
    });
    expect((await rs.json<{ n: number }>())[0]!.n).toBe(20);
  });

  it('says "nearly full" when less than one large POST of room is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-wspool-dir-'));
    const ws = await openWebhookSpool(cfg(dir, 16 * 1024), {
      store,
      registry: new Registry(),
      log: quiet,
      recent: new RecentRequests(1000),
    });
    // A cap of 16 KiB: 32 MiB of room is never left, so past half of it the spool warns.
    let appended = 0;
    while (ws.health() === null) {
      const r = await ws.spool.append(rowsOf(`f${appended}`, 5));
      expect(r.ok).toBe(true);
      appended++;
      expect(appended).toBeLessThan(100);
    }
    expect(ws.health()).toMatch(/^spool nearly full: \d+ of 16384 bytes$/);
    // Full: the append is refused, nothing written (the webhook answers 503).
    let refused = false;
    for (let i = 0; i < 100 && !refused; i++) refused = !(await ws.spool.append(rowsOf(`g${i}`, 5))).ok;
    expect(refused).toBe(true);
    await ws.close(10_000);
  });
});
