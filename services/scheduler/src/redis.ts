import type { Logger } from '@radar/observability';
import { Redis } from 'ioredis';

/** Redis could not be reached at start. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/**
 * The two connections bullmq wants: producers (queues, schedulers) fail fast instead of queueing
 * commands while Redis is away; workers block on Redis and must retry forever
 * (maxRetriesPerRequest: null), or a Redis restart would kill them.
 */
export async function openRedis(url: string, log: Logger): Promise<{ producer: Redis; worker: Redis }> {
  const producer = new Redis(url, { enableOfflineQueue: false, lazyConnect: true, maxRetriesPerRequest: 1 });
  const worker = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  for (const [role, conn] of [
    ['producer', producer],
    ['worker', worker],
  ] as const) {
    // ioredis reconnects by itself; errors are logged, not thrown at the process.
    conn.on('error', (err: Error) => log.warn({ role, err: err.message }, 'redis connection error'));
  }
  try {
    await Promise.all([producer.connect(), worker.connect()]);
  } catch (err) {
    producer.disconnect();
    worker.disconnect();
    throw new RedisUnavailableError(`cannot reach Redis at ${redact(url)}: ${(err as Error).message}`);
  }
  return { producer, worker };
}

/** QUIT when connected (flushes replies), else drop the socket so shutdown never waits on a dead Redis. */
export async function closeRedis(conn: Redis): Promise<void> {
  if (conn.status === 'ready') {
    try {
      await Promise.race([
        conn.quit(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('quit timed out')), 2_000).unref()),
      ]);
      return;
    } catch {
      // fall through
    }
  }
  conn.disconnect();
}

export function redact(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
