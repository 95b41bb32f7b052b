import { checkAlerts } from '@radar/alerts';
import { type QueueModule, retryingJobOptions } from './types.js';

export interface AlertCheckData {
  clusterVersion: string;
  cluster?: string | undefined;
}

/**
 * Post-upgrade alert checks (every minute by default). Running twice is harmless: the watermark
 * and the recorded alerts in ClickHouse make the second run find nothing new to send.
 */
export const alertChecks: QueueModule<AlertCheckData> = {
  name: 'alert-checks',
  schedulerId: 'alert-check',
  // The next tick re-reads from the watermark anyway: a few quick retries are enough.
  defaultJobOptions: (cfg) =>
    retryingJobOptions(
      cfg,
      Math.min(cfg.SCHEDULER_JOB_ATTEMPTS, 3),
      Math.min(cfg.SCHEDULER_BACKOFF_MS, 5_000),
    ),
  plan: (s) =>
    s.alerts
      ? {
          repeat: s.repeat.alertChecks,
          data: { clusterVersion: s.alerts.clusterVersion, cluster: s.alerts.cluster },
        }
      : { off: 'ALERT_CLUSTER_VERSION is not set' },
  async process(job, deps) {
    const res = await checkAlerts(deps.store, await deps.catalog(), {
      clusterVersion: job.data.clusterVersion,
      cluster: job.data.cluster,
      ...deps.settings.alertTimings,
      sinks: deps.settings.sinks,
      policy: deps.settings.clientPolicy,
    });
    for (const a of res.alerts) deps.metrics.alertsRaised.inc({ severity: a.severity });
    deps.metrics.alertsSuppressed.inc(res.suppressed.length);
    for (const d of res.delivered) deps.metrics.deliveries.inc({ sink: d.sink, outcome: d.outcome });
    const failed = res.delivered.filter((d) => d.outcome !== 'delivered');
    if (failed.length > 0) {
      // Recorded in ClickHouse and retried by later checks; a sink problem is not a job failure.
      deps.log.warn(
        { failed: failed.map((d) => ({ sink: d.sink, alert: d.alertId, error: d.error })) },
        'alert deliveries failed',
      );
    }
    if (res.alerts.length > 0) deps.log.info({ alerts: res.alerts.map((a) => a.summary) }, 'alerts raised');
    return {
      window: res.window,
      alerts: res.alerts.length,
      suppressed: res.suppressed.length,
      delivered: res.delivered.filter((d) => d.outcome === 'delivered').length,
      failedDeliveries: failed.length,
    };
  },
};
