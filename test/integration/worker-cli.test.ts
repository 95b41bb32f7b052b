import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTopic, newKafka, uniqueName } from '../support/kafka.js';
import { runRadar, startProcess } from '../support/processes.js';

// `radar worker` as users start it: a missing topic is one line (or created when allowed), and
// SIGTERM ends the process as soon as its batches are stored, not after the shutdown grace.

const env = (topic: string, extra: Record<string, string> = {}) => ({
  RADAR_DATA_DIR: mkdtempSync(join(tmpdir(), 'radar-worker-cli-')),
  KAFKA_TOPIC: topic,
  KAFKA_GROUP_ID: uniqueName('worker-cli'),
  HTTP_HOST: '127.0.0.1',
  INGEST_DECODE_THREADS: '0',
  ...extra,
});

async function partitions(topic: string): Promise<number> {
  const admin = newKafka().admin();
  await admin.connect();
  try {
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return meta?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

describe('radar worker', () => {
  it('names a missing topic and how to create it, in one line, exit 2', async () => {
    const topic = uniqueName('missing');
    const res = await runRadar(['worker'], env(topic));
    expect(res.code, res.stderr).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Kafka topic ${topic} does not exist`);
    expect(lines[0]).toContain('KAFKA_CREATE_TOPICS=true');
  });

  it('creates the topic when allowed, with the partitions asked for', async () => {
    const topic = uniqueName('created');
    const p = startProcess(
      'services/cli/src/main.ts',
      env(topic, { KAFKA_CREATE_TOPICS: 'true', KAFKA_TOPIC_PARTITIONS: '3' }),
      ['worker'],
    );
    await p.port;
    expect(await partitions(topic)).toBe(3);
    p.child.kill('SIGTERM');
    expect(await p.exited, p.output().slice(-2000)).toBe(0);
  });

  it('exits on SIGTERM once drained, without waiting out the shutdown grace', async () => {
    const topic = uniqueName('sigterm');
    await createTopic(topic);
    // A grace longer than this test's timeout: a timer left running would keep the process alive.
    const p = startProcess('services/cli/src/main.ts', env(topic, { INGEST_SHUTDOWN_GRACE_MS: '3600000' }), [
      'worker',
    ]);
    await p.port;
    p.child.kill('SIGTERM');
    expect(await p.exited, p.output().slice(-2000)).toBe(0);
    expect(p.output()).toContain('ingest worker stopped');
  });
});
