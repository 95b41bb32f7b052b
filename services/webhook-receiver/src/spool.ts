import { type RecentRequests, Spool, SpoolDrainer, type SpoolLog } from '@radar/ingest';
import { insertRows, type Store } from '@radar/store';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { refusedLetters } from './sink.js';

export interface WebhookSpoolConfig {
  dir: string;
  maxBytes: number;
  segmentBytes: number;
  flushMs: number;
  insertRows: number;
  retryMaxMs: number;
  /** Free disk left whatever maxBytes says (default 1 GiB). */
  diskReserveBytes?: number;
}

export interface WebhookSpool {
  spool: Spool;
  /** Why POSTs cannot be taken or spooled rows are not being stored, or null. */
  health(): string | null;
  /** Stops the drainer after storing what is pending (at most timeoutMs), then closes the log. */
  close(timeoutMs: number): Promise<boolean>;
}

/**
 * radar serve's spool: opened in the data dir, its pending requests remembered (so a POST retried
 * after a restart is dropped, not spooled twice), drained into the store, with metrics.
 */
export async function openWebhookSpool(
  cfg: WebhookSpoolConfig,
  deps: { store: Store; registry: Registry; log: SpoolLog; recent: RecentRequests },
): Promise<WebhookSpool> {
  const spool = await Spool.open({
    dir: cfg.dir,
    maxBytes: cfg.maxBytes,
    segmentBytes: cfg.segmentBytes,
    log: deps.log,
    ...(cfg.diskReserveBytes !== undefined ? { diskReserveBytes: cfg.diskReserveBytes } : {}),
  });
  await spool.forEachPending((rows) => deps.recent.remember(rows));
  const m = spoolMetrics(deps.registry, spool);
  const drainer = new SpoolDrainer(spool, deps.store, {
    maxRows: cfg.insertRows,
    flushMs: cfg.flushMs,
    retryMaxMs: cfg.retryMaxMs,
    log: deps.log,
    deadLetter: (refused, token) =>
      insertRows(deps.store, 'dead_letters', refusedLetters(refused), { dedupToken: token }),
    observe: (rows) => m.insertRows.observe(rows),
  });
  drainer.start();
  return {
    spool,
    health() {
      const s = spool.stats();
      if (s.broken) return `spool failed: ${s.broken}`;
      // Full within one large POST: say so before the apiserver's retries start failing.
      if (s.bytes + 32 * 1024 * 1024 > s.maxBytes && s.bytes > s.maxBytes / 2)
        return `spool nearly full: ${s.bytes} of ${s.maxBytes} bytes`;
      return drainer.health();
    },
    async close(timeoutMs) {
      const drained = await drainer.stop(timeoutMs);
      if (!drained)
        deps.log.warn(
          { pending: spool.pending() },
          'spool not drained in time: the rest is stored at the next start',
        );
      await spool.close();
      return drained;
    },
  };
}

function spoolMetrics(registry: Registry, spool: Spool) {
  new Gauge({
    name: 'radar_webhook_spool_bytes',
    help: 'Bytes of the webhook spool on disk',
    registers: [registry],
    collect() {
      this.set(spool.stats().bytes);
    },
  });
  new Gauge({
    name: 'radar_webhook_spool_records_pending',
    help: 'Spooled records (one per POST) not yet inserted',
    registers: [registry],
    collect() {
      this.set(spool.pending().records);
    },
  });
  new Gauge({
    name: 'radar_webhook_spool_lag_seconds',
    help: 'Age of the oldest spooled record not yet inserted (0 when none)',
    registers: [registry],
    collect() {
      const at = spool.pending().oldestAt;
      this.set(at === undefined ? 0 : Math.max(0, (Date.now() - at) / 1000));
    },
  });
  new Counter({
    name: 'radar_webhook_spool_corrupt_segments_total',
    help: 'Spool segments moved aside to corrupt/ (a record failed its crc)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(spool.stats().corruptSegments);
    },
  });
  return {
    insertRows: new Histogram({
      name: 'radar_webhook_spool_insert_rows',
      help: 'Rows per insert from the webhook spool',
      buckets: [100, 1000, 5000, 10_000, 25_000, 50_000, 100_000],
      registers: [registry],
    }),
  };
}
