import { AlertInputError } from '@radar/alerts';
import { builtinChanges, CatalogInputError, type Change, userChanges } from '@radar/catalog';
import { type RadarConfig, storeConfigOf } from '@radar/config';
import { createLogger, type Logger, Registry, startOpsServer } from '@radar/observability';
import { PolicyError, RankInputError } from '@radar/ranking';
import { openMigratedStore, type Store } from '@radar/store';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { collectDefaultMetrics } from 'prom-client';
import { createSchedulerMetrics, type SchedulerMetrics } from './metrics.js';
import { type JobDeps, QUEUES, type QueueModule } from './queues/index.js';
import { closeRedis, openRedis, redact } from './redis.js';
import { describeRepeat } from './schedule.js';
import { resolveSettings } from './settings.js';
import { runShutdown } from './shutdown.js';

export interface SchedulerDeps {
  /** A shared store (not closed by close()); unset: opened and migrated from the config, and closed. */
  store?: Store;
  /** The catalog per job; default built-in + user records of the store. */
  catalog?: () => Promise<Change[]>;
  log?: Logger;
  /** Register metrics here (e.g. `radar serve`'s registry); unset: an own registry with process metrics. */
  registry?: Registry;
  /** Serve /metrics and /healthz on SCHEDULER_HTTP_PORT (default true; `radar serve` has its own). */
  http?: boolean;
}

export interface RunningScheduler {
  /** Port of /metrics and /healthz, null without http. */
  opsPort: number | null;
  registry: Registry;
  queues: ReadonlyMap<string, Queue>;
  /** Re-creates Job Schedulers missing from Redis (also runs every SCHEDULER_RECONCILE_MS); returns how many. */
  reconcile(): Promise<number>;
  /** null when healthy, else what is wrong. */
  health(): string | null;
  /** Ordered shutdown: schedules timer, workers (finishing their job), queues, store, Redis, HTTP. */
  close(): Promise<void>;
}

/**
 * Starts the job scheduler: one queue + worker per job kind, Job Schedulers upserted at every
 * start (Redis keeps nothing on disk here) and re-created whenever they go missing.
 */
export async function startScheduler(deps: SchedulerDeps, cfg: RadarConfig): Promise<RunningScheduler> {
  const settings = resolveSettings(cfg);
  const log = deps.log ?? createLogger('scheduler', cfg.LOG_LEVEL);
  const registry = deps.registry ?? new Registry();
  if (!deps.registry) collectDefaultMetrics({ register: registry });

  const ownStore = !deps.store;
  const store = deps.store ?? (await openOwnStore(cfg, log));
  const catalog = deps.catalog ?? (async () => [...builtinChanges(), ...(await userChanges(store))]);
  let redis: Awaited<ReturnType<typeof openRedis>>;
  try {
    redis = await openRedis(cfg.REDIS_URL, log);
  } catch (err) {
    if (ownStore) await store.close();
    throw err;
  }

  const queues = new Map<string, Queue>();
  const metrics = createSchedulerMetrics(registry, async () => {
    const out: Record<string, number> = {};
    for (const [name, q] of queues) out[name] = await q.getFailedCount();
    return out;
  });
  const jobDeps: JobDeps = { store, catalog, settings, log, metrics };
  const prefix = cfg.SCHEDULER_QUEUE_PREFIX;
  const active: {
    mod: QueueModule<unknown>;
    queue: Queue;
    plan: Extract<ReturnType<QueueModule['plan']>, { repeat: unknown }>;
  }[] = [];
  const workers: Worker[] = [];

  for (const mod of QUEUES) {
    const queue = new Queue(mod.name, {
      connection: redis.producer,
      prefix,
      defaultJobOptions: mod.defaultJobOptions(cfg),
    });
    queue.on('error', (err) => log.warn({ queue: mod.name, err: err.message }, 'queue error'));
    queues.set(mod.name, queue);
    const plan = mod.plan(settings);
    if ('off' in plan) {
      // A schedule left from an earlier configuration must not keep producing jobs.
      await queue.removeJobScheduler(mod.schedulerId);
      log.info({ queue: mod.name, reason: plan.off }, 'not scheduled');
      continue;
    }
    active.push({ mod, queue, plan });
    const worker = new Worker(mod.name, processor(mod, jobDeps, metrics, log), {
      connection: redis.worker,
      prefix,
      concurrency: 1,
    });
    worker.on('error', (err) => log.warn({ queue: mod.name, err: err.message }, 'worker error'));
    workers.push(worker);
  }

  const upsert = async (a: (typeof active)[number], reason: 'start' | 'missing') => {
    await a.queue.upsertJobScheduler(a.mod.schedulerId, a.plan.repeat, {
      name: a.mod.schedulerId,
      data: a.plan.data,
    });
    metrics.schedulesCreated.inc({ queue: a.mod.name, reason });
    log.info(
      { queue: a.mod.name, schedule: describeRepeat(a.plan.repeat), reason },
      'job scheduler upserted',
    );
  };
  for (const a of active) await upsert(a, 'start');

  let reconcileError: string | null = null;
  let reconciling: Promise<number> | undefined;
  const reconcile = () => {
    reconciling ??= (async () => {
      let created = 0;
      try {
        for (const a of active) {
          if (await a.queue.getJobScheduler(a.mod.schedulerId)) continue;
          log.warn(
            { queue: a.mod.name },
            'job scheduler missing from Redis (flushed or restarted): re-creating',
          );
          await upsert(a, 'missing');
          created++;
        }
        reconcileError = null;
      } catch (err) {
        reconcileError = (err as Error).message;
        log.warn({ err: reconcileError }, 'cannot check job schedulers');
      } finally {
        reconciling = undefined;
      }
      return created;
    })();
    return reconciling;
  };
  const timer = setInterval(() => void reconcile(), cfg.SCHEDULER_RECONCILE_MS);
  timer.unref();

  const health = (): string | null => {
    if (redis.producer.status !== 'ready') return `redis ${redis.producer.status}`;
    const stopped = workers.filter((w) => !w.isRunning()).map((w) => w.name);
    if (stopped.length > 0) return `workers not running: ${stopped.join(', ')}`;
    return reconcileError ? `cannot check job schedulers: ${reconcileError}` : null;
  };
  const ops =
    deps.http === false
      ? null
      : await startOpsServer({ host: cfg.HTTP_HOST, port: cfg.SCHEDULER_HTTP_PORT, registry, health });

  log.info(
    {
      opsPort: ops?.port ?? null,
      prefix,
      redis: redact(cfg.REDIS_URL),
      queues: active.map((a) => a.mod.name),
    },
    'scheduler started',
  );

  let closing: Promise<void> | undefined;
  return {
    opsPort: ops?.port ?? null,
    registry,
    queues,
    reconcile,
    health,
    close: () => {
      closing ??= (async () => {
        const failed = await runShutdown(
          [
            ['schedule checks', async () => clearInterval(timer)],
            ['workers', () => Promise.all(workers.map((w) => w.close()))],
            ['queues', () => Promise.all([...queues.values()].map((q) => q.close()))],
            ['store', async () => (ownStore ? store.close() : undefined)],
            ['redis', () => Promise.all([closeRedis(redis.worker), closeRedis(redis.producer)])],
            ['ops server', async () => ops?.close()],
          ],
          log,
        );
        log.info({ failedSteps: failed }, 'scheduler stopped');
      })();
      return closing;
    },
  };
}

function openOwnStore(cfg: RadarConfig, log: Logger): Promise<Store> {
  return openMigratedStore(storeConfigOf(cfg), (applied) => log.info({ applied }, 'migrations applied'));
}

/** Wraps a queue's processor with metrics, logs, and no retries for mistakes retrying cannot fix. */
function processor(mod: QueueModule<unknown>, deps: JobDeps, metrics: SchedulerMetrics, log: Logger) {
  return async (job: Job) => {
    const end = metrics.duration.startTimer({ queue: mod.name });
    try {
      const result = await mod.process(job, deps);
      end({ outcome: 'completed' });
      metrics.completed.inc({ queue: mod.name });
      log.debug({ queue: mod.name, job: job.id, result }, 'job completed');
      return result;
    } catch (err) {
      end({ outcome: 'failed' });
      const input = isInputError(err);
      const final = input || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      metrics.failed.inc({ queue: mod.name, final: String(final) });
      log.error(
        { queue: mod.name, job: job.id, attempt: job.attemptsMade + 1, final, err: (err as Error).message },
        'job failed',
      );
      throw input ? new UnrecoverableError((err as Error).message) : err;
    }
  };
}

function isInputError(err: unknown): boolean {
  return (
    err instanceof RankInputError ||
    err instanceof PolicyError ||
    err instanceof AlertInputError ||
    err instanceof CatalogInputError
  );
}
