import { stripBodies } from '@radar/field-paths';
import {
  type InputMessage,
  insertAuditRows,
  type PipelineConfig,
  type PipelineDeps,
  processBatch,
  RecentRequests,
  refeedRollup,
  storeReplayed,
  withoutStored,
} from '@radar/ingest';
import type { BatchHandler, PartitionBatch, ProducedRecord, Producer } from '@radar/kafka';
import type { Logger } from '@radar/observability';
import type { Store } from '@radar/store';
import type { AuditRow } from '@radar/tagger';
import { InsertQueue } from './insert-queue.js';
import type { IngestMetrics } from './metrics.js';
import { retrying } from './retry.js';

export interface HandlerConfig {
  pipeline: Omit<PipelineConfig, 'tagger'> & { cluster: string };
  dlqTopic: string;
  retryMaxMs: number;
  /** Batches decoded and waiting for their insert; more makes the consumer wait. */
  maxQueuedBatches: number;
  /** Waiting batches are stored together in one insert up to this many rows. */
  maxInsertRows: number;
  /** Requests remembered to drop near-in-time duplicates without a query. */
  recentCapacity: number;
}

export interface HandlerDeps {
  store: Store;
  dlq: Producer;
  /** User-agent parser and body reduction (PipelineDeps). */
  tagger: PipelineDeps;
  metrics: IngestMetrics;
  log: Logger;
  /** Commits a partition's offset once its batch is stored. */
  commit(topic: string, partition: number, offset: string): Promise<void>;
}

/** Offsets in the DLQ message are enough to find the original; keep DLQ messages small. */
const MAX_DLQ_VALUE = 256 * 1024;

/**
 * One Kafka batch of one partition -> one ClickHouse insert -> commit. Order matters:
 * DLQ first, then the insert, then the offset; a crash anywhere replays the batch, and the
 * replay stores nothing twice (dedup token for a retried insert, a stored-request check on the
 * batches after an assignment until one holds only new requests). Inserts run in an
 * InsertQueue so the next batches are fetched and decoded meanwhile.
 */
export function createBatchHandler(cfg: HandlerConfig, deps: HandlerDeps) {
  /** Partitions whose batches can no longer be replays of rows stored by an earlier owner. */
  const verified = new Set<string>();
  const recent = new RecentRequests(cfg.recentCapacity);
  const queue = new InsertQueue<AuditRow>(
    // A retry re-checks what the failed attempt may have stored (raw rows without their rollup).
    async (rows, token, attempt) => {
      if (attempt === 1) await insertAuditRows(deps.store, rows, token);
      else await storeReplayed(deps.store, rows);
    },
    { capacity: cfg.maxQueuedBatches, maxRows: cfg.maxInsertRows, retryMaxMs: cfg.retryMaxMs },
    {
      onStored: (rows, batches, ms) => {
        deps.metrics.insertSeconds.observe(ms / 1000);
        deps.metrics.rowsInserted.inc(rows);
        deps.metrics.events.inc({ outcome: 'stored' }, rows);
        deps.metrics.batches.inc(batches);
        deps.metrics.backpressure.set(0);
      },
      onRetry: (err, attempt, delayMs) => {
        deps.metrics.retries.inc({ step: 'insert' });
        deps.metrics.backpressure.set(1);
        deps.log.warn({ err: err.message, step: 'insert', attempt, delayMs }, 'retrying');
      },
      onCommitFailed: (job, err) => {
        deps.log.warn(
          { err: err.message, partition: job.partitionKey },
          'commit failed after insert (rebalance?)',
        );
      },
    },
  );
  const keyOf = (topic: string, partition: number) => `${topic}/${partition}`;

  const handler: BatchHandler = async (batch, ctl) => {
    const started = performance.now();
    const { metrics, log } = deps;
    const pkey = keyOf(batch.topic, batch.partition);
    const messages: InputMessage[] = batch.messages.map((m) => ({
      value: m.value,
      partition: batch.partition,
      offset: Number(m.offset),
    }));
    const out = processBatch(
      messages,
      { ...cfg.pipeline, tagger: { cluster: cfg.pipeline.cluster, source: `kafka:${batch.topic}` } },
      deps.tagger,
    );
    const retryOpts = (step: string) => ({
      maxDelayMs: cfg.retryMaxMs,
      onRetry: (err: Error, attempt: number, delayMs: number) => {
        metrics.retries.inc({ step });
        metrics.backpressure.set(1);
        log.warn({ err: err.message, step, attempt, delayMs, partition: batch.partition }, 'retrying');
      },
    });

    if (out.rejected.length > 0) {
      const maxParse = cfg.pipeline.decode.maxBytes;
      const records = out.rejected.map((r) => dlqRecord(batch, r.index, r.reason, r.detail, maxParse));
      await retrying(() => deps.dlq.send(cfg.dlqTopic, records), ctl, retryOpts('dlq'));
      for (const r of out.rejected) metrics.rejected.inc({ reason: r.reason });
    }

    const seen = recent.filter(out.rows);
    let rows = seen.fresh;
    let alreadyStored = seen.duplicates;
    if (!verified.has(pkey)) {
      const checked = await retrying(() => withoutStored(deps.store, rows), ctl, retryOpts('dedup'));
      rows = checked.fresh;
      alreadyStored += checked.alreadyStored;
      // Stored by the previous owner, perhaps without their rollup rows: count them there.
      await retrying(() => refeedRollup(deps.store, checked.stored), ctl, retryOpts('dedup'));
      // A replay may span several batches stored before a crash: check until one is all new.
      if (checked.alreadyStored === 0) verified.add(pkey);
    }
    const first = batch.messages[0]!.offset;
    const last = batch.messages[batch.messages.length - 1]!.offset;
    const token = `${batch.topic}-${batch.partition}-${first}-${last}`;
    const processMs = Math.round(performance.now() - started);

    await queue.waitForRoom(ctl);
    recent.remember(rows);
    ctl.advance(last);
    const stored = rows.length;
    queue.push({
      partitionKey: pkey,
      rows,
      token,
      commit: async () => {
        await deps.commit(batch.topic, batch.partition, last);
        metrics.lastCommittedOffset.set(
          { topic: batch.topic, partition: String(batch.partition) },
          Number(last),
        );
        metrics.batchSeconds.observe((performance.now() - started) / 1000);
      },
    });
    metrics.events.inc({ outcome: 'rejected' }, out.rejected.length);
    metrics.events.inc({ outcome: 'superseded' }, out.dropped['stage-superseded'] ?? 0);
    metrics.events.inc({ outcome: 'already_stored' }, alreadyStored);
    log.debug(
      {
        partition: batch.partition,
        first,
        last,
        rows: stored,
        rejected: out.rejected.length,
        processMs,
        queued: queue.pending,
      },
      'batch',
    );
  };

  return {
    handler,
    /** After a rebalance any partition may hold batches another worker stored but did not commit. */
    onAssign: () => verified.clear(),
    /** Waits until every accepted batch is stored and committed. */
    drain: () => queue.drain(),
    /** Gives up on unstored batches (they stay uncommitted and are replayed). */
    abandon: () => queue.close(),
  };
}

/**
 * The rejected message as the DLQ keeps it: request and response bodies removed first (a Secret's
 * data must not survive in the DLQ any more than in the store), then cut to MAX_DLQ_VALUE.
 */
function dlqRecord(
  batch: PartitionBatch,
  index: number,
  reason: string,
  detail: string,
  maxParseBytes: number,
): ProducedRecord {
  const m = batch.messages[index]!;
  const original = m.value ?? Buffer.alloc(0);
  const stripped = stripBodies(original, maxParseBytes);
  // Without bodies the original bytes are kept as they were (invalid UTF-8 included).
  const value = stripped.removed > 0 ? Buffer.from(stripped.payload, 'utf8') : original;
  return {
    key: m.key,
    value: value.length > MAX_DLQ_VALUE ? value.subarray(0, MAX_DLQ_VALUE) : value,
    headers: {
      'radar-reason': reason,
      'radar-detail': detail.slice(0, 1000),
      'radar-source-topic': batch.topic,
      'radar-source-partition': String(batch.partition),
      'radar-source-offset': m.offset,
      'radar-truncated': String(value.length > MAX_DLQ_VALUE),
      'radar-bodies-removed': String(stripped.removed),
    },
  };
}
