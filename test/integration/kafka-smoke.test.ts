import { describe, expect, it } from 'vitest';
import {
  committedOffsets,
  consumeAll,
  createTopic,
  newKafka,
  produce,
  restartBroker,
  uniqueName,
} from '../support/kafka.js';

// Proves the local Kafka 4.x broker and kafkajs 2.2.4 agree on everything the pipeline relies on:
// admin createTopics, produce, consumer groups, committed offsets, and data surviving a restart.

/** Consumes with `groupId` until `count` messages arrived, committing each; returns their values. */
async function consumeInGroup(topic: string, groupId: string, count: number): Promise<string[]> {
  const consumer = newKafka('smoke-consumer').consumer({ groupId });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`got ${values.length} of ${count} messages`)), 30_000);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            values.push(message.value?.toString() ?? '');
            // Commit the NEXT offset to read, as the pipeline does after storing a batch.
            await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
            if (values.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

const messages = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ key: `k${(from + i) % 5}`, value: `m${from + i}` }));

describe('local Kafka broker with kafkajs', () => {
  it('round-trips messages through a consumer group and resumes from committed offsets', async () => {
    const topic = uniqueName('smoke');
    const groupId = uniqueName('smoke-group');
    await createTopic(topic, 3);

    await produce(topic, messages(0, 20), 7);
    const first = await consumeInGroup(topic, groupId, 20);
    expect(first.sort()).toEqual(
      messages(0, 20)
        .map((m) => m.value)
        .sort(),
    );

    // Every partition's committed offset is its end: 20 messages in all.
    const offsets = await committedOffsets(groupId, topic);
    expect([...offsets.values()].reduce((a, b) => a + b, 0)).toBe(20);

    // The same group only sees what was produced after its commits.
    await produce(topic, messages(20, 25));
    const second = await consumeInGroup(topic, groupId, 5);
    expect(second.sort()).toEqual(
      messages(20, 25)
        .map((m) => m.value)
        .sort(),
    );
  });

  it('reads keys, values and headers back with consumeAll', async () => {
    const topic = uniqueName('smoke-dlq');
    await createTopic(topic, 1);
    await produce(topic, [
      { key: 'a', value: 'bad json', headers: { reason: 'parse_error' } },
      { value: Buffer.from('{"x":1}'), headers: { reason: 'schema' } },
    ]);
    const got = await consumeAll(topic, 2);
    expect(got.map((m) => [m.offset, m.key, m.value, m.headers.reason])).toEqual([
      ['0', 'a', 'bad json', 'parse_error'],
      ['1', null, '{"x":1}', 'schema'],
    ]);
  });

  it('keeps messages and committed offsets across a broker restart', async () => {
    const topic = uniqueName('smoke-restart');
    const groupId = uniqueName('smoke-restart-group');
    await createTopic(topic, 2);
    await produce(topic, messages(0, 10));
    await consumeInGroup(topic, groupId, 4);
    const before = await committedOffsets(groupId, topic);

    await restartBroker();

    const all = await consumeAll(topic, 10);
    expect(all.map((m) => m.value).sort()).toEqual(
      messages(0, 10)
        .map((m) => m.value)
        .sort(),
    );
    expect(await committedOffsets(groupId, topic)).toEqual(before);
  });
});
