import { availableParallelism } from 'node:os';
import { bodyOptionsOf, type RadarConfig, storeConfigOf } from '@radar/config';
import {
  type ConsumerHandle,
  checkTopics,
  createProducer,
  ensureTopics,
  hideKafkajsTimerWarning,
  startConsumer,
} from '@radar/kafka';
import { createLogger, Registry, startOpsServer } from '@radar/observability';
import { openMigratedStore } from '@radar/store';
import { createBatchHandler } from './batch-handler.js';
import { type DecoderConfig, inProcessDecoder } from './decode/decoder.js';
import { DecodePool } from './decode/pool.js';
import { createIngestMetrics } from './metrics.js';
import { stallProblem } from './steps/stall.js';

export interface IngestWorker {
  opsPort: number;
  /** Ordered shutdown: stop intake (finishing the batch in flight), then the DLQ producer, then the store. */
  close(): Promise<void>;
}

/** Starts one ingest worker: a member of the consumer group; run more of them to scale out. */
export async function startIngestWorker(cfg: RadarConfig): Promise<IngestWorker> {
  hideKafkajsTimerWarning();
  const log = createLogger('ingest-worker', cfg.LOG_LEVEL);
  const registry = new Registry();
  const metrics = createIngestMetrics(registry);
  const decoderCfg: DecoderConfig = {
    cluster: cfg.RADAR_CLUSTER_NAME,
    decode: { maxBytes: cfg.INGEST_MAX_EVENT_BYTES },
    bodies: bodyOptionsOf(cfg),
    userAgentCacheSize: 10_000,
    recentCapacity: cfg.INGEST_RECENT_REQUESTS,
    ...(cfg.INGEST_DECODE_YOUNG_MB === undefined ? {} : { youngGenerationMb: cfg.INGEST_DECODE_YOUNG_MB }),
  };
  // One core is left to the event loop and the engine's insert thread. Threads start first:
  // they load their code while the store migrates and the DLQ producer connects.
  let decodeFailed: string | null = null;
  const threads = cfg.INGEST_DECODE_THREADS ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const pool =
    threads > 0
      ? new DecodePool(decoderCfg, threads, (err, fatal) => {
          log.error({ err: err.message, fatal }, 'decode thread failed');
          // Unhealthy: the orchestrator restarts the worker; nothing unstored was committed.
          if (fatal) decodeFailed = err.message;
        })
      : undefined;
  const kafkaCfg = { brokers: cfg.KAFKA_BROKERS, clientId: cfg.KAFKA_CLIENT_ID };
  const [opened, connected] = await Promise.allSettled([
    openMigratedStore(storeConfigOf(cfg), (applied) => log.info({ applied }, 'migrations applied')),
    checkTopics(kafkaCfg, [cfg.KAFKA_TOPIC], topicCreation(cfg))
      .then(() => ensureTopics(kafkaCfg, [{ topic: cfg.KAFKA_DLQ_TOPIC, numPartitions: 1 }]))
      .then(() => createProducer(kafkaCfg)),
  ]);
  if (opened.status === 'rejected' || connected.status === 'rejected') {
    await pool?.close();
    if (opened.status === 'fulfilled') await opened.value.close();
    if (connected.status === 'fulfilled') await connected.value.close();
    throw opened.status === 'rejected' ? opened.reason : (connected as PromiseRejectedResult).reason;
  }
  const store = opened.value;
  const dlq = connected.value;
  const decoder = pool ?? inProcessDecoder(decoderCfg);
  let consumerRef: ConsumerHandle | undefined;
  const { handler, onAssign, drain, abandon, stalled } = createBatchHandler(
    {
      pipeline: { cluster: cfg.RADAR_CLUSTER_NAME, decode: { maxBytes: cfg.INGEST_MAX_EVENT_BYTES } },
      dlqTopic: cfg.KAFKA_DLQ_TOPIC,
      retryMaxMs: cfg.INGEST_RETRY_MAX_MS,
      maxQueuedBatches: cfg.INGEST_MAX_QUEUED_BATCHES,
      maxInsertRows: cfg.INGEST_MAX_INSERT_ROWS,
      minInsertRows: cfg.INGEST_MIN_INSERT_ROWS,
      insertLingerMs: cfg.INGEST_INSERT_LINGER_MS,
      stallMs: cfg.INGEST_STALL_S * 1000,
    },
    {
      store,
      dlq,
      decoder,
      metrics,
      log,
      commit: (topic, partition, offset) => consumerRef!.commit(topic, partition, offset),
      rewind: (topic, partition, offset) => consumerRef!.seek(topic, partition, offset),
    },
  );

  let crashed: string | null = null;
  const consumer = await startConsumer(
    kafkaCfg,
    {
      groupId: cfg.KAFKA_GROUP_ID,
      topics: [cfg.KAFKA_TOPIC],
      maxBytesPerPartition: cfg.INGEST_MAX_BATCH_BYTES,
      maxWaitTimeInMs: cfg.INGEST_MAX_BATCH_WAIT_MS,
      partitionsConsumedConcurrently: cfg.INGEST_PARTITIONS_CONCURRENTLY,
    },
    handler,
  );
  consumerRef = consumer;
  consumer.onAssign((a) => {
    onAssign();
    log.info({ assigned: a }, 'partitions assigned');
  });
  consumer.onCrash((err, restart) => {
    log.error({ err: err.message, restart }, 'consumer crashed');
    // kafkajs restarts on retriable errors; otherwise report unhealthy so the orchestrator restarts us.
    if (!restart) crashed = err.message;
  });
  const ops = await startOpsServer({
    host: cfg.HTTP_HOST,
    port: cfg.HTTP_PORT,
    registry,
    health: () =>
      crashed
        ? `consumer crashed: ${crashed}`
        : decodeFailed
          ? `decode threads failed: ${decodeFailed}`
          : stallProblem(stalled()),
  });
  log.info(
    { topic: cfg.KAFKA_TOPIC, group: cfg.KAFKA_GROUP_ID, opsPort: ops.port, decodeThreads: threads },
    'ingest worker started',
  );

  let closing: Promise<void> | undefined;
  return {
    opsPort: ops.port,
    close: () => {
      closing ??= (async () => {
        // Stop fetching, store and commit what was accepted (bounded wait), then leave the group.
        consumer.pause();
        // The grace timer is cleared once drained: left running, it kept `radar worker` alive for
        // the whole grace (30 s) after every SIGTERM, past Kubernetes' own grace period.
        let grace: NodeJS.Timeout | undefined;
        const stored = await Promise.race([
          drain().then(() => true),
          new Promise<boolean>((r) => {
            grace = setTimeout(() => r(false), cfg.INGEST_SHUTDOWN_GRACE_MS);
          }),
        ]).finally(() => clearTimeout(grace));
        if (!stored) {
          log.warn('store unavailable at shutdown: uncommitted batches will be replayed by the next owner');
          abandon();
        }
        await consumer.stop();
        await pool?.close();
        await dlq.close();
        await ops.close();
        await store.close();
        log.info('ingest worker stopped');
      })();
      return closing;
    },
  };
}

/** KAFKA_CREATE_TOPICS=true: the worker may create the audit topic it reads, with these settings. */
function topicCreation(cfg: RadarConfig) {
  return cfg.KAFKA_CREATE_TOPICS
    ? { numPartitions: cfg.KAFKA_TOPIC_PARTITIONS, replicationFactor: cfg.KAFKA_TOPIC_REPLICATION }
    : undefined;
}
