import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The scheduler's metrics, on the registry it is given (several schedulers may share a process). */
export function createSchedulerMetrics(
  registry: Registry,
  /** Failed jobs kept per queue, read from Redis at scrape time. */
  failedCounts: () => Promise<Record<string, number>> = async () => ({}),
) {
  const registers = [registry];
  return {
    completed: new Counter({
      name: 'radar_scheduler_jobs_completed_total',
      help: 'Jobs that completed, by queue',
      labelNames: ['queue'] as const,
      registers,
    }),
    failed: new Counter({
      name: 'radar_scheduler_jobs_failed_total',
      help: 'Failed job attempts, by queue; final="true" when no attempt is left (the job is kept as failed)',
      labelNames: ['queue', 'final'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'radar_scheduler_job_duration_seconds',
      help: 'Time of one job attempt, by queue and outcome',
      labelNames: ['queue', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers,
    }),
    failedKept: new Gauge({
      name: 'radar_scheduler_failed_jobs',
      help: 'Failed jobs kept in Redis for inspection, by queue (read at scrape time)',
      labelNames: ['queue'] as const,
      registers,
      async collect() {
        // Redis down: keep the last values rather than failing the whole scrape.
        const counts = await failedCounts().catch(() => ({}));
        for (const [queue, n] of Object.entries(counts)) this.set({ queue }, n);
      },
    }),
    schedulesCreated: new Counter({
      name: 'radar_scheduler_schedules_upserted_total',
      help: 'Job Schedulers (re)created in Redis, by queue and why (start, missing)',
      labelNames: ['queue', 'reason'] as const,
      registers,
    }),
    alertsRaised: new Counter({
      name: 'radar_alerts_raised_total',
      help: 'Post-upgrade alerts raised, by severity',
      labelNames: ['severity'] as const,
      registers,
    }),
    alertsSuppressed: new Counter({
      name: 'radar_alerts_suppressed_total',
      help: 'Findings not alerted again within the suppression window',
      registers,
    }),
    deliveries: new Counter({
      name: 'radar_alert_deliveries_total',
      help: 'Alert deliveries, by sink and outcome (delivered, failed, rejected)',
      labelNames: ['sink', 'outcome'] as const,
      registers,
    }),
    reports: new Counter({
      name: 'radar_reports_total',
      help: 'Scheduled report runs, by whether they wrote a new report (created) or found it done (existing)',
      labelNames: ['result'] as const,
      registers,
    }),
    snapshots: new Counter({
      name: 'radar_rank_snapshots_total',
      help: 'Scheduled rank snapshot runs, by whether they stored a new snapshot (created) or found one (existing)',
      labelNames: ['result'] as const,
      registers,
    }),
  };
}

export type SchedulerMetrics = ReturnType<typeof createSchedulerMetrics>;
