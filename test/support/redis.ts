/** The Redis integration tests use: REDIS_URL, else the one infra/redis/ensure.sh starts. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const url = new URL(REDIS_URL);
/** Host and port of REDIS_URL, for clients (ioredis) that take them apart. */
export const REDIS_HOST = url.hostname;
export const REDIS_PORT = Number(url.port || 6379);
