import { InputError } from '@radar/errors';
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
const bool = (def: boolean) =>
  z.stringbool({ truthy: ['true', '1'], falsy: ['false', '0'], error: 'must be true or false' }).default(def);
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A cron pattern (5 or 6 fields) or an interval: 500ms, 30s, 5m, 1h, or plain milliseconds. */
const schedule = (def: string) =>
  z
    .string()
    .trim()
    .default(def)
    .refine(
      (s) => /^[1-9]\d*(ms|s|m|h)?$/.test(s) || /^(\S+\s+){4,5}\S+$/.test(s),
      'must be a cron pattern like "0 8 * * 1" or an interval like 30s, 1m, 1h',
    );
const timeZone = (def: string) =>
  z
    .string()
    .default(def)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone like UTC or Europe/Paris');

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
    KAFKA_CREATE_TOPICS: bool(false),
    KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(10_000).default(4),
    KAFKA_TOPIC_REPLICATION: z.coerce.number().int().min(1).max(32).default(1),

    /** Fetch size per partition: one batch, one insert (about 8,000 events of 1 KB). */
    INGEST_MAX_BATCH_BYTES: int(8 * 1024 * 1024),
    INGEST_MAX_BATCH_WAIT_MS: int(1_000),
    INGEST_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(2),
    /** Threads that decode, tag and encode batches; unset: one per core but one (max 4); 0: none. */
    INGEST_DECODE_THREADS: z.coerce.number().int().min(0).max(64).optional(),
    /** Young generation of each decode thread, MB (unset: 128 in the worker, 32 in the CLI; smaller: less RSS, more scavenges). */
    INGEST_DECODE_YOUNG_MB: z.coerce.number().int().min(4).max(1024).optional(),
    INGEST_RETRY_MAX_MS: int(30_000),
    /** A partition holding uncommitted work with no commit for this long turns /healthz red. */
    INGEST_STALL_S: z.coerce.number().int().min(1).default(300),
    /** Batches fetched and waiting for their insert (decoding or decoded) before the consumer waits. */
    INGEST_MAX_QUEUED_BATCHES: z.coerce.number().int().min(1).max(256).default(16),
    /** Waiting batches are stored in one insert up to this many rows (fewer parts to merge). */
    INGEST_MAX_INSERT_ROWS: z.coerce.number().int().min(1).default(100_000),
    /** An insert waits for this many rows (or INGEST_INSERT_LINGER_MS): small parts cost merges. */
    INGEST_MIN_INSERT_ROWS: z.coerce.number().int().min(0).default(50_000),
    INGEST_INSERT_LINGER_MS: int(1_000),
    /** On SIGTERM, how long to wait for accepted batches to be stored and committed. */
    INGEST_SHUTDOWN_GRACE_MS: int(30_000),
    /** Larger messages go to the DLQ unparsed (bounded work per message). */
    INGEST_MAX_EVENT_BYTES: int(4 * 1024 * 1024),
    /** Recently stored requests kept in memory to drop re-sent duplicates (0 disables). */
    INGEST_RECENT_REQUESTS: int(200_000),
    /** Reduce write request bodies to field paths (docs/field-evidence.md); false drops them unread. */
    INGEST_FIELD_PATHS: bool(true),
    /**
     * Resources whose bodies are reduced to paths already at the webhook, before Kafka, kubectl
     * style: sealedsecrets.bitnami.com, *.vault.example.com. Secrets always are.
     */
    INGEST_BODY_DENYLIST: csv(''),
    /** Bounds per request body: paths kept, nesting depth, list items read. */
    INGEST_MAX_PATHS: z.coerce.number().int().min(1).default(2000),
    INGEST_MAX_PATH_DEPTH: z.coerce.number().int().min(1).max(256).default(32),
    INGEST_LIST_SAMPLE: z.coerce.number().int().min(1).default(50),

    HTTP_HOST: z.string().default('0.0.0.0'),
    HTTP_PORT: int(8080),
    WEBHOOK_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
    WEBHOOK_BODY_LIMIT_BYTES: int(32 * 1024 * 1024),
    /** A Content-Encoding: gzip body inflating to more than this is answered 413. */
    WEBHOOK_MAX_DECODED_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(32 * 1024 * 1024),
    /** Slow clients: headers must arrive within this, a whole request (body included) within the next. */
    WEBHOOK_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    WEBHOOK_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
    /** Idle connections (keep-alive between batches included) are closed after this. */
    WEBHOOK_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
    /** The broker's message.max.bytes: `radar webhook` sends no larger record or batch (bodies go first). */
    WEBHOOK_KAFKA_MAX_MESSAGE_BYTES: z.coerce.number().int().min(4096).default(1_000_000),
    /** Per dead letter of the all-in-one webhook: payload bytes kept (bodies already removed). */
    WEBHOOK_DEAD_LETTER_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(256)
      .default(16 * 1024),
    /** Dead letters written per POST and per minute; the overflow is counted by reason, not kept. */
    WEBHOOK_DEAD_LETTERS_PER_REQUEST: int(100),
    WEBHOOK_DEAD_LETTERS_PER_MINUTE: int(1000),
    /**
     * radar serve: how long an insert may wait for the POSTs a sender keeps in flight to join it
     * (group commit, services/webhook-receiver/src/insert-group.ts); 0 inserts at once.
     */
    WEBHOOK_INSERT_LINGER_MS: z.coerce.number().int().min(0).max(5_000).default(100),
    /**
     * radar serve: answer a POST once its rows are durable in a local spool (write-ahead log) and
     * insert from it in large blocks; `off`: answer after the insert (group commit above).
     */
    WEBHOOK_SPOOL: z.enum(['on', 'off']).default('on'),
    /** The spool's directory; default <data dir>/spool. */
    WEBHOOK_SPOOL_DIR: z.string().min(1).optional(),
    /** Most bytes the spool holds (lowered to the disk's free space less 1 GiB); then 503. */
    WEBHOOK_SPOOL_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(64 * 1024)
      .default(1024 ** 3),
    /** Segment files roll past this size; a segment is deleted once wholly inserted. */
    WEBHOOK_SPOOL_SEGMENT_BYTES: z.coerce
      .number()
      .int()
      .min(4096)
      .default(64 * 1024 * 1024),
    /** An insert from the spool waits at most this long (from the oldest record) to gather rows. */
    WEBHOOK_SPOOL_FLUSH_MS: z.coerce.number().int().min(0).max(60_000).default(200),
    /** Rows per insert from the spool. */
    WEBHOOK_SPOOL_INSERT_ROWS: z.coerce.number().int().min(1).default(50_000),

    REDIS_URL: z.string().default('redis://127.0.0.1:6379'),

    /** The version clusters run now (1.30, v1.30 or 1.30.4): alert checks are scheduled only when set. */
    ALERT_CLUSTER_VERSION: z.string().min(1).optional(),
    /** Check one cluster (its audit_events.cluster name); unset: every cluster. */
    ALERT_CLUSTER: z.string().min(1).optional(),
    /** JSON array of sinks, e.g. [{"type":"slack","url":"https://hooks.slack.com/..."}]. */
    ALERT_SINKS: z.string().default(''),
    /** A file holding the same JSON array; used instead of ALERT_SINKS when set. */
    ALERT_SINKS_FILE: z.string().min(1).optional(),
    /** The same (cluster, client, resource, change) is not alerted again within this window. */
    ALERT_SUPPRESS_WINDOW_MS: int(3_600_000),
    /** How far the first check of a cluster (no watermark yet) looks back. */
    ALERT_LOOKBACK_MS: int(3_600_000),
    /** Events stored in the last few seconds are left to the next check (inserts still landing). */
    ALERT_INGEST_GRACE_MS: int(10_000),
    /** Events older than this (by their own timestamp) never alert: backfills are for reports. */
    ALERT_MAX_EVENT_AGE_MS: int(86_400_000),
    /** Undelivered alerts are retried by later checks for this long. */
    ALERT_REDELIVER_MAX_AGE_MS: int(86_400_000),

    /** The planned upgrade that rank snapshots and weekly reports are about (both or neither). */
    UPGRADE_CURRENT_VERSION: z.string().min(1).optional(),
    UPGRADE_TARGET_VERSION: z.string().min(1).optional(),
    /** Rank and report one cluster; unset: every cluster. */
    UPGRADE_CLUSTER: z.string().min(1).optional(),
    /** Allowlist / version overrides / owners file for scheduled ranks and reports. */
    RANK_POLICY_FILE: z.string().min(1).optional(),
    /** Traffic window of a rank snapshot and of a report, ending at the scheduled time. */
    RANK_WINDOW_MS: int(7 * 86_400_000),
    /** Where scheduled reports are written; default <RADAR_DATA_DIR>/reports. */
    REPORT_OUT_DIR: z.string().min(1).optional(),

    /** `radar guard` (docs/guard.md): HTTPS listener, its certificate and key (PEM files). */
    GUARD_HOST: z.string().min(1).default('0.0.0.0'),
    GUARD_PORT: int(8443),
    GUARD_TLS_CERT_FILE: z.string().min(1).optional(),
    GUARD_TLS_KEY_FILE: z.string().min(1).optional(),
    /** The upgrade the guard protects: fields changed in (from, to]; default UPGRADE_*_VERSION. */
    GUARD_FROM_VERSION: z.string().min(1).optional(),
    GUARD_TO_VERSION: z.string().min(1).optional(),
    /** Global mode; a policy file can set it per resource and namespace. */
    GUARD_MODE: z.enum(['audit', 'warn', 'deny']).default('audit'),
    GUARD_POLICY_FILE: z.string().min(1).optional(),
    /** Window of audit events the user/client table is learned from, and how often it is reloaded. */
    GUARD_LEARN_MS: z.coerce
      .number()
      .int()
      .min(60_000)
      .default(14 * 86_400_000),
    GUARD_REFRESH_MS: z.coerce.number().int().min(100).default(30_000),
    /** A table older than this (store unreachable) is not trusted: every review is allowed. */
    GUARD_MAX_STALENESS_MS: z.coerce.number().int().min(100).default(600_000),
    /** Larger AdmissionReviews are allowed unread (counted as too-large). */
    GUARD_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(8 * 1024 * 1024),
    GUARD_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /** Learn from one cluster's events; unset: every cluster. */
    GUARD_CLUSTER: z.string().min(1).optional(),

    /** Redis key prefix of the scheduler's queues (one per deployment, or per test). */
    SCHEDULER_QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, ".", "_" or "-"')
      .default('radar'),
    /** Time zone of the cron patterns below. */
    SCHEDULER_TZ: timeZone('UTC'),
    SCHEDULE_RANK_SNAPSHOT: schedule('0 * * * *'),
    SCHEDULE_WEEKLY_REPORT: schedule('0 8 * * 1'),
    SCHEDULE_ALERT_CHECK: schedule('1m'),
    /** How often the scheduler checks that its Job Schedulers still exist in Redis (re-creates them). */
    SCHEDULER_RECONCILE_MS: z.coerce.number().int().min(100).default(30_000),
    /** Attempts per job (exponential backoff from SCHEDULER_BACKOFF_MS). */
    SCHEDULER_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
    SCHEDULER_BACKOFF_MS: int(10_000),
    /** Failed jobs kept per queue for inspection (the oldest are dropped beyond this). */
    SCHEDULER_KEEP_FAILED: int(1_000),
    SCHEDULER_KEEP_COMPLETED: int(100),
    /** /metrics and /healthz of the standalone scheduler; 0 picks a free port. */
    SCHEDULER_HTTP_PORT: int(9464),
  })
  .transform((e) => ({ ...e, KAFKA_DLQ_TOPIC: e.KAFKA_DLQ_TOPIC ?? `${e.KAFKA_TOPIC}.dlq` }));

export type RadarConfig = z.infer<typeof envSchema>;

/** The environment is wrong: an input error (the `radar` command exits 2, a service does not start). */
export class ConfigError extends InputError {
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
