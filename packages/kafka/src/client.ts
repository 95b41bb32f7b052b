import { InputError } from '@radar/errors';
import { type Consumer, Kafka, type Producer as KProducer, logLevel } from 'kafkajs';

/**
 * The only module that imports kafkajs (maintained by volunteers; its last release is 2.2.4).
 * The pipeline sees these small interfaces, so the client can be swapped (e.g. for
 * @confluentinc/kafka-javascript's KafkaJS-compatible API) without touching it.
 */
export interface KafkaConfig {
  brokers: string[];
  clientId: string;
}

export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: {
    key: Buffer | null;
    value: Buffer | null;
    offset: string;
    /** As kafkajs decodes them: a repeated header is an array. */
    headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined;
  }[];
}

export interface BatchControl {
  /** Keep group membership during long waits (ClickHouse slow or down). */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or lost this partition: stop retrying, commit nothing. */
  canContinue(): boolean;
  /** Marks the batch processed up to and including offset, and commits it. */
  commit(offset: string): Promise<void>;
  /** Moves the fetch position past offset without committing (commit later with ConsumerHandle.commit). */
  advance(offset: string): void;
}

export type BatchHandler = (batch: PartitionBatch, ctl: BatchControl) => Promise<void>;

export interface ConsumerHandle {
  /** Stops fetching, lets the batch in flight finish, leaves the group. */
  stop(): Promise<void>;
  /** Stops fetching new batches but stays in the group (so pending commits still work). */
  pause(): void;
  /** Commits offset (the last processed one) of a partition, outside a batch. */
  commit(topic: string, partition: number, offset: string): Promise<void>;
  /** Fetches a partition again from offset (that message included); batches in flight go stale. */
  seek(topic: string, partition: number, offset: string): void;
  /** Called with (topic, partition) lists at every (re)assignment. */
  onAssign(fn: (assigned: { topic: string; partitions: number[] }[]) => void): void;
  onCrash(fn: (err: Error, restart: boolean) => void): void;
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  maxBytesPerPartition: number;
  maxWaitTimeInMs: number;
  partitionsConsumedConcurrently: number;
}

/** Kafka commits the NEXT offset to read: processing up to `offset` commits offset + 1. */
export function nextOffset(offset: string): string {
  if (!/^\d+$/.test(offset)) throw new Error(`bad Kafka offset: ${JSON.stringify(offset)}`);
  return (BigInt(offset) + 1n).toString();
}

/** A GROUP_JOIN member assignment ({ topic: partitions }) as a list, topics in order. */
export function assignmentOf(
  memberAssignment: Record<string, number[]>,
): { topic: string; partitions: number[] }[] {
  return Object.entries(memberAssignment)
    .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }))
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

function kafka(cfg: KafkaConfig): Kafka {
  return new Kafka({
    clientId: cfg.clientId,
    brokers: cfg.brokers,
    logLevel: logLevel.WARN,
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
}

export async function startConsumer(
  cfg: KafkaConfig,
  opts: ConsumerOptions,
  handler: BatchHandler,
): Promise<ConsumerHandle> {
  const consumer: Consumer = kafka(cfg).consumer({
    groupId: opts.groupId,
    maxBytesPerPartition: opts.maxBytesPerPartition,
    maxBytes: opts.maxBytesPerPartition * 8,
    minBytes: 64 * 1024,
    maxWaitTimeInMs: opts.maxWaitTimeInMs,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
  });
  const assignListeners: ((a: { topic: string; partitions: number[] }[]) => void)[] = [];
  // The first join can happen before the caller registers: the last assignment is replayed to it.
  let lastAssigned: { topic: string; partitions: number[] }[] | undefined;
  const crashListeners: ((err: Error, restart: boolean) => void)[] = [];
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    const assigned = assignmentOf(e.payload.memberAssignment);
    lastAssigned = assigned;
    for (const fn of assignListeners) fn(assigned);
  });
  consumer.on(consumer.events.CRASH, (e) => {
    for (const fn of crashListeners) fn(e.payload.error, e.payload.restart);
  });
  await consumer.connect();
  for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      if (batch.messages.length === 0) return;
      await handler(
        {
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages.map((m) => ({
            key: m.key,
            value: m.value,
            offset: m.offset,
            headers: m.headers,
          })),
        },
        {
          heartbeat,
          canContinue: () => isRunning() && !isStale(),
          advance: (offset) => resolveOffset(offset),
          commit: async (offset) => {
            resolveOffset(offset);
            // Explicit offsets: without autoCommit, commitOffsetsIfNecessary() alone commits nothing.
            await commitOffsetsIfNecessary({
              topics: [
                {
                  topic: batch.topic,
                  partitions: [{ partition: batch.partition, offset: nextOffset(offset) }],
                },
              ],
            });
          },
        },
      );
    },
  });
  return {
    stop: () => consumer.disconnect(),
    pause: () => consumer.pause(opts.topics.map((topic) => ({ topic }))),
    commit: (topic, partition, offset) =>
      consumer.commitOffsets([{ topic, partition, offset: nextOffset(offset) }]),
    seek: (topic, partition, offset) => consumer.seek({ topic, partition, offset }),
    onAssign: (fn) => {
      assignListeners.push(fn);
      if (lastAssigned) fn(lastAssigned);
    },
    onCrash: (fn) => crashListeners.push(fn),
  };
}

export interface ProducedRecord {
  key?: Buffer | string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}

export interface Producer {
  send(topic: string, records: ProducedRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** acks=all, idempotent: a retried send does not duplicate records within a producer session. */
export async function createProducer(cfg: KafkaConfig): Promise<Producer> {
  const producer: KProducer = kafka(cfg).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    send: async (topic, records) => {
      if (records.length === 0) return;
      await producer.send({
        topic,
        acks: -1,
        messages: records.map((r) => ({ key: r.key ?? null, value: r.value, headers: r.headers })),
      });
    },
    close: () => producer.disconnect(),
  };
}

/** Creates missing topics (idempotent). Production clusters usually manage topics themselves. */
export async function ensureTopics(
  cfg: KafkaConfig,
  topics: { topic: string; numPartitions: number }[],
): Promise<void> {
  const admin = kafka(cfg).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** A topic the worker reads is missing and may not be created: says which, and how to fix it. */
export class MissingTopicError extends InputError {
  override readonly name = 'MissingTopicError';
}

/**
 * Checks that the topics a consumer reads exist. With `create`, missing ones are created with
 * those settings; without, the first missing one is a MissingTopicError naming it and the two
 * ways out (kafkajs would otherwise crash later with a stack trace about metadata).
 */
export async function checkTopics(
  cfg: KafkaConfig,
  topics: readonly string[],
  create?: { numPartitions: number; replicationFactor: number },
): Promise<void> {
  const admin = kafka(cfg).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    if (!create) {
      throw new MissingTopicError(
        `Kafka topic ${missing.join(', ')} does not exist on ${cfg.brokers.join(',')}: create it ` +
          `(kafka-topics.sh --create --topic ${missing[0]} --partitions <N>), or set KAFKA_CREATE_TOPICS=true ` +
          '(KAFKA_TOPIC_PARTITIONS, KAFKA_TOPIC_REPLICATION)',
      );
    }
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, ...create })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * kafkajs 2.2.4 schedules its request queue with a negative delay on Node 23+, which Node reports
 * as a TimeoutNegativeWarning (treated as 1 ms: harmless) on stderr at every start. Services call
 * this once so that line does not bury their own; every other warning is still printed.
 */
export function hideKafkajsTimerWarning(proc: NodeJS.Process = process): void {
  const printers = proc.listeners('warning');
  proc.removeAllListeners('warning');
  proc.on('warning', (w) => {
    if (w.name === 'TimeoutNegativeWarning') return;
    for (const p of printers) p(w);
  });
}
