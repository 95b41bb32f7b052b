import {
  concatRows,
  type EncodedRows,
  type PipelineConfig,
  refeedRollup,
  rowCount,
  withoutStored,
} from '@radar/ingest';
import type { BatchControl, BatchHandler, PartitionBatch, Producer } from '@radar/kafka';
import type { Logger } from '@radar/observability';
import type { Store } from '@radar/store';
import type { DecodedBatch, Decoder } from './decode/decoder.js';
import { InsertQueue } from './insert-queue.js';
import type { IngestMetrics } from './metrics.js';
import { Aborted, type RetryControl, retrying } from './retry.js';
import { apiserverHeaders } from './steps/apiserver-headers.js';
import { rejectedRecord } from './steps/dead-letter.js';
import { createInsertStep } from './steps/isolation.js';
import { PartitionChains } from './steps/partition-chain.js';
import { ReplayCheck } from './steps/replay-check.js';
import { RewindGuard } from './steps/rewind-guard.js';
import { StallTracker } from './steps/stall.js';

export interface HandlerConfig {
  pipeline: Omit<PipelineConfig, 'tagger'> & { cluster: string };
  dlqTopic: string;
  retryMaxMs: number;
  /** Batches decoded and waiting for their insert; more makes the consumer wait. */
  maxQueuedBatches: number;
  /** Waiting batches are stored together in one insert up to this many rows. */
  maxInsertRows: number;
  /** An insert waits for this many rows, at most lingerMs (fewer parts to merge). */
  minInsertRows: number;
  insertLingerMs: number;
  /** A partition with uncommitted work and no commit for this long is stalled (INGEST_STALL_S). */
  stallMs: number;
}

export interface HandlerDeps {
  store: Store;
  dlq: Producer;
  /** decode -> validate -> tag -> encode -> recent duplicates, on decode threads or in process. */
  decoder: Decoder;
  metrics: IngestMetrics;
  log: Logger;
  /** Commits a partition's offset once its batch is stored. */
  commit(topic: string, partition: number, offset: string): Promise<void>;
  /** Fetches a partition again from offset (a batch that could not be prepared). */
  rewind(topic: string, partition: number, offset: string): void;
  /** Clock of the stall tracker (tests). */
  now?: () => number;
}

/** Where a queued batch came from. */
interface BatchRef {
  topic: string;
  partition: number;
  first: string;
}

/**
 * One Kafka batch of one partition -> one ClickHouse insert -> commit, composed of steps:
 * rewind guard -> decode (on a thread) -> dead letters -> replay check -> insert queue ->
 * isolation of rows the store refuses -> commit, with a stall tracker watching each partition.
 * Order matters: DLQ first, then the insert, then the offset; a crash anywhere replays the
 * batch, and the replay stores nothing twice (dedup token for a retried insert, the replay check
 * after an assignment). Inserts run in an InsertQueue so the next batches are fetched and
 * decoded meanwhile.
 */
export function createBatchHandler(cfg: HandlerConfig, deps: HandlerDeps) {
  const { metrics, log } = deps;
  const keyOf = (topic: string, partition: number) => `${topic}/${partition}`;
  const stall = new StallTracker(cfg.stallMs, deps.now);
  const rewinds = new RewindGuard();
  const chains = new PartitionChains();
  metrics.beforeScrape.push(() => {
    for (const p of stall.partitions()) {
      metrics.partitionStalled.set({ topic: p.topic, partition: String(p.partition) }, p.stalled ? 1 : 0);
    }
  });

  const retryWith =
    (ctl: RetryControl, step: string, partition: number) =>
    <T>(fn: () => Promise<T>) =>
      retrying(fn, ctl, {
        maxDelayMs: cfg.retryMaxMs,
        onRetry: (err, attempt, delayMs) => {
          metrics.retries.inc({ step });
          metrics.backpressure.set(1);
          log.warn({ err: err.message, step, attempt, delayMs, partition }, 'retrying');
        },
      });
  const replays = new ReplayCheck({
    check: (rows) => withoutStored(deps.store, rows),
    refeed: (rows) => refeedRollup(deps.store, rows),
  });

  const queue = new InsertQueue<EncodedRows, BatchRef>(
    createInsertStep({ store: deps.store, dlq: deps.dlq, dlqTopic: cfg.dlqTopic, metrics, log }),
    {
      capacity: cfg.maxQueuedBatches,
      maxRows: cfg.maxInsertRows,
      retryMaxMs: cfg.retryMaxMs,
      minRows: cfg.minInsertRows,
      lingerMs: cfg.insertLingerMs,
    },
    {
      onStored: (rows, batches, ms) => {
        metrics.insertSeconds.observe(ms / 1000);
        metrics.rowsInserted.inc(rows);
        metrics.events.inc({ outcome: 'stored' }, rows);
        metrics.batches.inc(batches);
        metrics.backpressure.set(0);
        log.debug({ rows, batches, insertMs: Math.round(ms) }, 'stored');
      },
      onRetry: (err, attempt, delayMs) => {
        metrics.retries.inc({ step: 'insert' });
        metrics.backpressure.set(1);
        log.warn({ err: err.message, step: 'insert', attempt, delayMs }, 'retrying');
      },
      onCommitFailed: (job, err) => {
        log.warn(
          { err: err.message, partition: job.partitionKey },
          'commit failed after insert (rebalance?)',
        );
      },
      onPrepareFailed: (job, err, dropped) => {
        stall.dropped(job.topic, job.partition, dropped);
        // Stopping or the partition is gone: its next owner replays from the last commit.
        if (err instanceof Aborted) return;
        log.error(
          { err: err.message, partition: job.partitionKey, from: job.first, dropped },
          'batch preparation failed: fetching the partition again from the batch',
        );
        rewinds.rewound(job.partitionKey, job.first);
        deps.rewind(job.topic, job.partition, job.first);
      },
    },
    { size: rowCount, merge: concatRows },
  );

  /** Dead letters, then the replay check: the rows to insert. */
  const afterDecode = async (
    batch: PartitionBatch,
    ctl: BatchControl,
    started: number,
    out: DecodedBatch,
  ): Promise<EncodedRows> => {
    const { topic, partition } = batch;
    if (out.rejected.length > 0) {
      const records = out.rejected.map((r) =>
        rejectedRecord(batch, r.index, r.reason, r.detail, cfg.pipeline.decode.maxBytes),
      );
      await retryWith(ctl, 'dlq', partition)(() => deps.dlq.send(cfg.dlqTopic, records));
      for (const r of out.rejected) metrics.rejected.inc({ reason: r.reason });
    }
    const checked = await replays.filter(
      keyOf(topic, partition),
      out.rows,
      retryWith(ctl, 'dedup', partition),
    );
    const alreadyStored = out.duplicates + checked.alreadyStored;
    metrics.events.inc({ outcome: 'rejected' }, out.rejected.length);
    metrics.events.inc({ outcome: 'superseded' }, out.dropped['stage-superseded'] ?? 0);
    metrics.events.inc({ outcome: 'already_stored' }, alreadyStored);
    log.debug(
      {
        topic,
        partition,
        first: batch.messages[0]!.offset,
        rows: rowCount(checked.rows),
        rejected: out.rejected.length,
        processMs: Math.round(performance.now() - started),
        queued: queue.pending,
      },
      'batch',
    );
    return checked.rows;
  };

  /**
   * Hands the batch to the queue and returns at once, so the consumer fetches the next batch
   * while this one is decoded and stored. The fetch position moves on; the commit waits for the
   * insert.
   */
  const handler: BatchHandler = async (batch, ctl) => {
    const started = performance.now();
    const { topic, partition } = batch;
    const pkey = keyOf(topic, partition);
    const first = batch.messages[0]!.offset;
    const last = batch.messages[batch.messages.length - 1]!.offset;
    if (rewinds.admit(pkey, first).kind === 'drop') return;
    await queue.waitForRoom(ctl);
    ctl.advance(last);
    const origin = apiserverHeaders(batch.messages);
    if (origin.refused > 0) {
      metrics.apiserverHeadersRefused.inc(origin.refused);
      log.warn(
        { topic, partition, refused: origin.refused, samples: origin.samples },
        'apiserver headers refused: those events are stored without an apiserver identity',
      );
    }
    // Decoding starts at once; the steps after it wait for the partition's previous batch.
    const decoded = deps.decoder.decode(origin.index ? { ...batch, apiservers: origin.index } : batch);
    stall.fetched(topic, partition);
    // Nothing keeps `batch` once it is prepared: its messages pin the whole fetch response.
    queue.push({
      partitionKey: pkey,
      rows: chains.run(pkey, async () => afterDecode(batch, ctl, started, await decoded)),
      token: `${topic}-${partition}-${first}-${last}`,
      commit: async () => {
        let committed = false;
        try {
          await deps.commit(topic, partition, last);
          committed = true;
        } finally {
          stall.settled(topic, partition, committed);
        }
        metrics.lastCommittedOffset.set({ topic, partition: String(partition) }, Number(last));
        metrics.batchSeconds.observe((performance.now() - started) / 1000);
      },
      topic,
      partition,
      first,
    });
  };

  return {
    handler,
    /** After a rebalance any partition may hold batches another worker stored but did not commit. */
    onAssign: () => {
      replays.reset();
      // A batch remembered as sent may have died unstored with the partition we lost.
      deps.decoder.reset();
    },
    /** Partitions holding uncommitted work with no commit for stallMs (for /healthz). */
    stalled: () => stall.stalled(),
    /** Waits until every accepted batch is stored and committed. */
    drain: () => queue.drain(),
    /** Gives up on unstored batches (they stay uncommitted and are replayed). */
    abandon: () => {
      queue.close();
      stall.clear();
    },
  };
}
