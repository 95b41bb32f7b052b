import { z } from 'zod';

/**
 * The one schema for every environment variable upgrade-radar reads. Services call
 * loadConfig(process.env) once at start; packages only ever receive the typed result.
 */
const csv = (def: string) =>
  z
    .string()
    .default(def)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );
const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const envSchema = z
  .object({
    RADAR_DATA_DIR: z.string().min(1).default('./.radar'),
    RADAR_CLUSTER_NAME: z.string().min(1).default('default'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    CLICKHOUSE_URL: z.url().optional(),
    CLICKHOUSE_USER: z.string().default('default'),
    CLICKHOUSE_PASSWORD: z.string().default(''),
    CLICKHOUSE_DATABASE: z.string().regex(identifier, 'must be a plain identifier').default('radar'),
    /** Set to run migrations ON CLUSTER with Replicated + Distributed tables. */
    CLICKHOUSE_CLUSTER: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'must be a cluster name')
      .optional(),

    KAFKA_BROKERS: csv('127.0.0.1:9092'),
    KAFKA_CLIENT_ID: z.string().default('upgrade-radar'),
    KAFKA_TOPIC: z.string().min(1).default('k8s-audit'),
    KAFKA_DLQ_TOPIC: z.string().optional(),
    KAFKA_GROUP_ID: z.string().min(1).default('upgrade-radar-ingest'),

    /** Fetch size per partition: one batch, one insert (about 8,000 events of 1 KB). */
    INGEST_MAX_BATCH_BYTES: int(8 * 1024 * 1024),
    INGEST_MAX_BATCH_WAIT_MS: int(1_000),
    INGEST_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(2),
    INGEST_RETRY_MAX_MS: int(30_000),
    /** Larger messages go to the DLQ unparsed (bounded work per message). */
    INGEST_MAX_EVENT_BYTES: int(4 * 1024 * 1024),

    HTTP_HOST: z.string().default('0.0.0.0'),
    HTTP_PORT: int(8080),
    WEBHOOK_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
    WEBHOOK_BODY_LIMIT_BYTES: int(32 * 1024 * 1024),

    REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  })
  .transform((e) => ({ ...e, KAFKA_DLQ_TOPIC: e.KAFKA_DLQ_TOPIC ?? `${e.KAFKA_TOPIC}.dlq` }));

export type RadarConfig = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once; names every bad variable in one error. */
export function loadConfig(env: Record<string, string | undefined>): RadarConfig {
  const res = envSchema.safeParse(env);
  if (!res.success) {
    const lines = res.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  return res.data;
}
