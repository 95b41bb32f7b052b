import type { Change } from '@radar/catalog';
import type { RadarConfig } from '@radar/config';
import type { Logger } from '@radar/observability';
import type { Store } from '@radar/store';
import type { DefaultJobOptions, Job } from 'bullmq';
import type { SchedulerMetrics } from '../metrics.js';
import type { Repeat } from '../schedule.js';
import type { Settings } from '../settings.js';

/** What every job gets: typed dependencies, no singletons. */
export interface JobDeps {
  store: Store;
  /** The catalog as of now (built-in + user records), loaded per job so user edits apply. */
  catalog(): Promise<Change[]>;
  settings: Settings;
  log: Logger;
  metrics: SchedulerMetrics;
}

/** The schedule a queue runs on with this configuration, or why it does not run. */
export type Plan<Data> = { repeat: Repeat; data: Data } | { off: string };

/** One bullmq queue: its name, job options, schedule and processor. */
export interface QueueModule<Data = unknown> {
  /** Queue name (keys live under SCHEDULER_QUEUE_PREFIX). */
  name: string;
  /** Job Scheduler id and job name: one scheduler per queue. */
  schedulerId: string;
  defaultJobOptions(cfg: RadarConfig): DefaultJobOptions;
  plan(settings: Settings): Plan<Data>;
  /** Returns a small JSON summary kept with the completed job. */
  process(job: Job<Data>, deps: JobDeps): Promise<Record<string, unknown>>;
}

/** Retries with exponential backoff; completed and failed jobs kept by count, so failures stay visible. */
export function retryingJobOptions(cfg: RadarConfig, attempts: number, backoffMs: number): DefaultJobOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    removeOnComplete: { count: cfg.SCHEDULER_KEEP_COMPLETED },
    removeOnFail: { count: cfg.SCHEDULER_KEEP_FAILED },
  };
}
