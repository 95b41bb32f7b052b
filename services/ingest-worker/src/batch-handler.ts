import { stripBodies } from '@radar/field-paths';
import {
  concatRows,
  type EncodedRows,
  insertAuditRows,
  type PipelineConfig,
  refeedRollup,
  rowCount,
  storeReplayed,
  withoutStored,
} from '@radar/ingest';
import type { BatchControl, BatchHandler, PartitionBatch, ProducedRecord, Producer } from '@radar/kafka';
import type { Logger } from '@radar/observability';
import type { Store } from '@radar/store';
import type { DecodedBatch, Decoder } from './decode/decoder.js';
import { InsertQueue } from './insert-queue.js';
import type { IngestMetrics } from './metrics.js';
import { Aborted, retrying } from './retry.js';

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
}

/** Where a queued batch came from. */
interface BatchRef {
  topic: string;
  partition: number;
  first: string;
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
  const queue = new InsertQueue<EncodedRows, BatchRef>(
    // A retry re-checks what the failed attempt may have stored (raw rows without their rollup).
    async (rows, token, attempt) => {
      if (attempt === 1) await insertAuditRows(deps.store, rows, token);
      else await storeReplayed(deps.store, rows);
    },
    {
      capacity: cfg.maxQueuedBatches,
      maxRows: cfg.maxInsertRows,
      retryMaxMs: cfg.retryMaxMs,
      minRows: cfg.minInsertRows,
      lingerMs: cfg.insertLingerMs,
    },
    {
      onStored: (rows, batches, ms) => {
        deps.metrics.insertSeconds.observe(ms / 1000);
        deps.metrics.rowsInserted.inc(rows);
        deps.metrics.events.inc({ outcome: 'stored' }, rows);
        deps.metrics.batches.inc(batches);
        deps.metrics.backpressure.set(0);
        deps.log.debug({ rows, batches, insertMs: Math.round(ms) }, 'stored');
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
      onPrepareFailed: (job, err, dropped) => {
        // Stopping or the partition is gone: its next owner replays from the last commit.
        if (err instanceof Aborted) return;
        deps.log.error(
          { err: err.message, partition: job.partitionKey, from: job.first, dropped },
          'batch preparation failed: fetching the partition again from the batch',
        );
        rewinding.set(job.partitionKey, BigInt(job.first));
        deps.rewind(job.topic, job.partition, job.first);
      },
    },
    { size: rowCount, merge: concatRows },
  );
  const keyOf = (topic: string, partition: number) => `${topic}/${partition}`;
  /** Each partition's preparations run one after the other (duplicate checks see batches in order). */
  const chains = new Map<string, Promise<unknown>>();
  /** Partitions fetched again from an offset after a failed preparation: later batches wait for it. */
  const rewinding = new Map<string, bigint>();

  /**
   * decode (on a thread, at once) -> dead letters -> duplicate checks: the rows to insert. The
   * steps after decoding wait for the partition's previous batch to finish them.
   */
  const prepare = (batch: PartitionBatch, ctl: BatchControl, started: number): Promise<EncodedRows> => {
    const pkey = keyOf(batch.topic, batch.partition);
    const decoded = deps.decoder.decode(batch);
    const turn = (chains.get(pkey) ?? Promise.resolve()).then(async () =>
      checkDecoded(batch, ctl, started, await decoded),
    );
    chains.set(
      pkey,
      turn.catch(() => undefined),
    );
    return turn;
  };

  const checkDecoded = async (
    batch: PartitionBatch,
    ctl: BatchControl,
    started: number,
    out: DecodedBatch,
  ): Promise<EncodedRows> => {
    const { metrics, log } = deps;
    const pkey = keyOf(batch.topic, batch.partition);
    const dlqRecords = out.rejected.map((r) =>
      dlqRecord(batch, r.index, r.reason, r.detail, cfg.pipeline.decode.maxBytes),
    );
    const { topic, partition } = batch;
    const firstOffset = batch.messages[0]!.offset;
    const retryOpts = (step: string) => ({
      maxDelayMs: cfg.retryMaxMs,
      onRetry: (err: Error, attempt: number, delayMs: number) => {
        metrics.retries.inc({ step });
        metrics.backpressure.set(1);
        log.warn({ err: err.message, step, attempt, delayMs, partition }, 'retrying');
      },
    });

    if (dlqRecords.length > 0) {
      await retrying(() => deps.dlq.send(cfg.dlqTopic, dlqRecords), ctl, retryOpts('dlq'));
      for (const r of out.rejected) metrics.rejected.inc({ reason: r.reason });
    }

    let rows = out.rows;
    let alreadyStored = out.duplicates;
    if (!verified.has(pkey)) {
      const checked = await retrying(() => withoutStored(deps.store, rows), ctl, retryOpts('dedup'));
      rows = checked.fresh;
      alreadyStored += checked.alreadyStored;
      // Stored by the previous owner, perhaps without their rollup rows: count them there.
      await retrying(() => refeedRollup(deps.store, checked.stored), ctl, retryOpts('dedup'));
      // A replay may span several batches stored before a crash: check until one is all new.
      if (checked.alreadyStored === 0) verified.add(pkey);
    }
    metrics.events.inc({ outcome: 'rejected' }, out.rejected.length);
    metrics.events.inc({ outcome: 'superseded' }, out.dropped['stage-superseded'] ?? 0);
    metrics.events.inc({ outcome: 'already_stored' }, alreadyStored);
    log.debug(
      {
        topic,
        partition,
        first: firstOffset,
        rows: rowCount(rows),
        rejected: out.rejected.length,
        processMs: Math.round(performance.now() - started),
        queued: queue.pending,
      },
      'batch',
    );
    return rows;
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
    const from = rewinding.get(pkey);
    if (from !== undefined) {
      // Fetched before the rewind took effect: it would skip the failed batch.
      if (BigInt(first) > from) return;
      rewinding.delete(pkey);
    }
    await queue.waitForRoom(ctl);
    ctl.advance(last);
    // Nothing keeps `batch` once it is prepared: its messages pin the whole fetch response.
    queue.push({
      partitionKey: pkey,
      rows: prepare(batch, ctl, started),
      token: `${topic}-${partition}-${first}-${last}`,
      commit: async () => {
        await deps.commit(topic, partition, last);
        deps.metrics.lastCommittedOffset.set({ topic, partition: String(partition) }, Number(last));
        deps.metrics.batchSeconds.observe((performance.now() - started) / 1000);
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
      verified.clear();
      // A batch remembered as sent may have died unstored with the partition we lost.
      deps.decoder.reset();
    },
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
