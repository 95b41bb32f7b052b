import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { UserAgentParser } from '@radar/client-identity';
import { bodyOptionsOf, storeConfigOf } from '@radar/config';
import { createBodyConfig } from '@radar/field-paths';
import { ingestStream, RecentRequests } from '@radar/ingest';
import { createLogger, Registry } from '@radar/observability';
import { RedisUnavailableError, type RunningScheduler, startScheduler } from '@radar/scheduler';
import { openMigratedStore } from '@radar/store';
import {
  deadLetterLimitsOf,
  openWebhookSpool,
  startWebhookServer,
  storeSink,
  type WebhookSpool,
  webhookConfigOf,
} from '@radar/webhook-receiver';
import type { Command } from 'commander';
import { collectDefaultMetrics, Histogram } from 'prom-client';
import { cliConfig } from '../context.js';
import { cliDecodePool } from '../ingest/decode-pool.js';
import { numberArg } from '../options.js';

interface ServeOptions {
  dataDir?: string;
  port?: number;
  host?: string;
  file: string[];
  scheduler: boolean;
}

/**
 * All-in-one mode: the audit webhook stores straight into embedded ClickHouse (no Kafka), audit
 * log files given with --file are ingested at start, and the scheduled jobs (rank snapshots,
 * weekly report, alert checks) run in-process when Redis answers.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('all-in-one: audit webhook + file ingest + scheduled jobs, storing into embedded ClickHouse')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory (default $RADAR_DATA_DIR or ./.radar)')
    .option(
      '--port <port>',
      'HTTP port of the webhook, /metrics and /healthz (default $HTTP_PORT or 8080)',
      numberArg(0, 65535),
    )
    .option('--host <host>', 'listen address (default $HTTP_HOST or 0.0.0.0)')
    .option(
      '--file <path>',
      'audit log to ingest at start (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--no-scheduler', 'do not run the scheduled jobs')
    .action(async (opts: ServeOptions) => {
      const cfg = cliConfig();
      const port = opts.port ?? cfg.HTTP_PORT;
      const log = createLogger('radar-serve', cfg.LOG_LEVEL);
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      const webhookDecode = {
        maxBytes: cfg.INGEST_MAX_EVENT_BYTES,
        // A POST is decoded item by item up to the largest body the server takes.
        maxDocumentBytes: Math.max(cfg.WEBHOOK_BODY_LIMIT_BYTES, cfg.WEBHOOK_MAX_DECODED_BYTES),
      };
      // INGEST_DECODE_THREADS > 0: POST bodies decode on threads, the event loop only reads and
      // answers. Off by default: on 2 busy cores no gain was measurable (docs/performance.md).
      const pool = cliDecodePool(
        cfg,
        cfg.RADAR_CLUSTER_NAME,
        webhookDecode,
        cfg.INGEST_DECODE_THREADS ?? 0,
        (err, fatal) => log.error({ err: err.message, fatal }, 'decode thread failed'),
      );
      let posts = 0;
      const store = await openMigratedStore(storeConfigOf(cfg, opts.dataDir), (applied) =>
        log.info({ applied }, 'migrations applied'),
      );
      const parser = new UserAgentParser(10_000);
      const tagger = {
        parseUserAgent: (ua: string | undefined) => parser.parse(ua),
        bodies: createBodyConfig(bodyOptionsOf(cfg)),
      };
      const decode = { maxBytes: cfg.INGEST_MAX_EVENT_BYTES };
      const insertPosts = new Histogram({
        name: 'radar_webhook_insert_posts',
        help: 'POSTs stored together in one insert (group commit)',
        buckets: [1, 2, 4, 8, 16, 32, 64],
        registers: [registry],
      });

      // The spool (default): POSTs are answered once durable on local disk, inserted in large blocks.
      const recent = new RecentRequests(100_000);
      let spool: WebhookSpool | undefined;
      if (cfg.WEBHOOK_SPOOL === 'on') {
        spool = await openWebhookSpool(
          {
            dir: cfg.WEBHOOK_SPOOL_DIR ?? join(opts.dataDir ?? cfg.RADAR_DATA_DIR, 'spool'),
            maxBytes: cfg.WEBHOOK_SPOOL_MAX_BYTES,
            segmentBytes: cfg.WEBHOOK_SPOOL_SEGMENT_BYTES,
            flushMs: cfg.WEBHOOK_SPOOL_FLUSH_MS,
            insertRows: cfg.WEBHOOK_SPOOL_INSERT_ROWS,
            retryMaxMs: cfg.INGEST_RETRY_MAX_MS,
          },
          { store, registry, log, recent },
        );
      }

      let scheduler: RunningScheduler | undefined;
      if (opts.scheduler) {
        try {
          scheduler = await startScheduler({ store, registry, log, http: false }, cfg);
        } catch (e) {
          if (!(e instanceof RedisUnavailableError)) throw e;
          log.warn({ redis: cfg.REDIS_URL, err: e.message }, 'Redis unavailable: scheduled jobs disabled');
        }
      }
      const server = await startWebhookServer(
        webhookConfigOf(cfg, { host: opts.host ?? cfg.HTTP_HOST, port }),
        {
          sink: storeSink(
            store,
            {
              cluster: cfg.RADAR_CLUSTER_NAME,
              decode: webhookDecode,
              deadLetters: deadLetterLimitsOf(cfg),
              insertLingerMs: cfg.WEBHOOK_INSERT_LINGER_MS,
            },
            tagger,
            {
              recent,
              checkStoredFirst: true,
              ...(spool && { spool: spool.spool }),
              observeInsert: (n) => insertPosts.observe(n),
              ...(pool && {
                decode: (body, apiserver) =>
                  pool.decode({
                    topic: 'webhook',
                    source: 'webhook',
                    apiserver,
                    partition: posts++,
                    messages: [{ value: body, offset: '0' }],
                  }),
              }),
            },
          ),
          registry,
          log,
          health: () => spool?.health() ?? scheduler?.health() ?? null,
        },
      );
      log.info(
        {
          port: server.port,
          dataDir: opts.dataDir ?? cfg.RADAR_DATA_DIR,
          scheduler: Boolean(scheduler),
          spool: spool ? spool.spool.pending() : 'off',
        },
        'radar serve ready: POST audit EventLists to /audit',
      );

      for (const file of opts.file) {
        const summary = await ingestStream(
          store,
          createReadStream(file),
          { cluster: cfg.RADAR_CLUSTER_NAME, source: file, decode, chunkLines: 10_000 },
          tagger,
        );
        log.info({ summary }, 'file ingested');
      }

      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      // Ordered: stop intake, finish jobs, then close storage.
      await server.close();
      // What was answered is stored now, or at the next start (bounded wait).
      await spool?.close(10_000);
      await pool?.close();
      await scheduler?.close();
      await store.close();
      log.info('radar serve stopped');
    });
}
