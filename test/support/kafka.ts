import { randomBytes } from 'node:crypto';
import { type IHeaders, Kafka, logLevel, Partitioners } from 'kafkajs';
import { runInfraScript } from './repo.js';

/** Brokers the integration tests use: KAFKA_BROKERS (comma-separated), else the local broker. */
export const KAFKA_BROKERS: string[] = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);

/** True when tests run against the broker infra/kafka/start.sh manages (restartable). */
export const LOCAL_BROKER = process.env.KAFKA_BROKERS === undefined;

/** A kafkajs client for tests; quiet except for errors. */
export function newKafka(clientId = 'radar-test'): Kafka {
  return new Kafka({ clientId, brokers: KAFKA_BROKERS, logLevel: logLevel.ERROR });
}

/**
 * A name no other test (or earlier run) uses: `<prefix>_<time>_<random>`. Made only of
 * [A-Za-z0-9_] after the prefix, so it also works as a queue name or ClickHouse identifier.
 */
export function uniqueName(prefix: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(prefix)) throw new Error(`uniqueName: bad prefix ${JSON.stringify(prefix)}`);
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** Creates a topic (the broker does not auto-create them) and waits until every partition has a leader. */
export async function createTopic(name: string, partitions = 1): Promise<void> {
  const admin = newKafka('radar-test-admin').admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({
      topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`createTopic: topic ${name} already exists`);
  } finally {
    await admin.disconnect();
  }
}

export interface TestMessage {
  key?: string | Buffer | null;
  value: string | Buffer;
  headers?: IHeaders;
  partition?: number;
}

/** Produces messages in batches of `batchSize`, each acknowledged by the broker (acks=all). */
export async function produce(topic: string, messages: TestMessage[], batchSize = 500): Promise<void> {
  const producer = newKafka('radar-test-producer').producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += batchSize) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + batchSize) });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ConsumedMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  /** Header values decoded as UTF-8 (the last one wins when a header repeats). */
  headers: Record<string, string>;
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (last !== undefined) out[name] = last.toString();
  }
  return out;
}

/**
 * Reads a topic from the beginning, with a fresh consumer group, until `count` messages arrived
 * (e.g. to check what landed in a DLQ topic). Rejects with how many arrived when the time runs out.
 * Messages are in arrival order: per partition by offset, partitions interleaved.
 */
export async function consumeAll(
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ConsumedMessage[]> {
  const consumer = newKafka('radar-test-reader').consumer({ groupId: uniqueName('radar-test-reader') });
  const got: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`consumeAll(${topic}): got ${got.length} of ${count} messages in ${timeoutMs}ms`)),
        timeoutMs,
      );
      if (count === 0) {
        clearTimeout(timer);
        resolve();
        return;
      }
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            if (got.length >= count) return;
            got.push({
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              value: message.value?.toString() ?? null,
              headers: decodeHeaders(message.headers),
            });
            if (got.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          reject(err);
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** Committed offsets of a consumer group on a topic, by partition (-1 where nothing is committed). */
export async function committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
  const admin = newKafka('radar-test-admin').admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Stops and restarts the local broker with the same data dir, then waits until it is ready.
 * `kill: true` stops it with SIGKILL (a crash) instead of a clean shutdown. Only for the broker
 * infra/kafka/start.sh manages: throws when KAFKA_BROKERS points elsewhere.
 */
export async function restartBroker(opts: { kill?: boolean } = {}): Promise<void> {
  if (!LOCAL_BROKER)
    throw new Error('restartBroker: KAFKA_BROKERS is set; only the local broker can be restarted');
  await runInfraScript('infra/kafka/restart.sh', opts.kill ? ['--kill'] : []);
}

/** The end offset (next offset to write) of each partition of a topic. */
export async function endOffsets(topic: string): Promise<Map<number, number>> {
  const admin = newKafka('radar-test-offsets').admin();
  await admin.connect();
  try {
    return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** True once the group has committed every message of the topic. */
export async function caughtUp(group: string, topic: string): Promise<boolean> {
  const [ends, done] = await Promise.all([endOffsets(topic), committedOffsets(group, topic)]);
  return [...ends].every(([p, end]) => end === 0 || done.get(p) === end);
}
