import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The guard's metrics, on the registry it is given (no global default registry). */
export function createGuardMetrics(registry: Registry, tableAgeSeconds: () => number) {
  const registers = [registry];
  return {
    reviews: new Counter({
      name: 'radar_guard_reviews_total',
      help: 'AdmissionReviews answered, by outcome (suspect, known-clients, undecided, not-a-full-update, ...) and allowed',
      labelNames: ['outcome', 'allowed'] as const,
      registers,
    }),
    suspects: new Counter({
      name: 'radar_guard_suspect_updates_total',
      help: 'Full updates by old or unknown clients that dropped or reset a watched field, by mode, group and resource',
      labelNames: ['mode', 'group', 'resource'] as const,
      registers,
    }),
    badReviews: new Counter({
      name: 'radar_guard_bad_reviews_total',
      help: 'Requests that were not a readable AdmissionReview (answered allowed), by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    tableAge: new Gauge({
      name: 'radar_guard_table_age_seconds',
      help: 'Age of the learned user/client table (-1 before the first load); past GUARD_MAX_STALENESS_MS the guard allows everything',
      registers,
      collect() {
        this.set(tableAgeSeconds());
      },
    }),
    refreshFailures: new Counter({
      name: 'radar_guard_refresh_failures_total',
      help: 'Background refreshes of the learned table that failed (store unreachable, query refused)',
      registers,
    }),
    tableRows: new Gauge({
      name: 'radar_guard_table_rows',
      help: 'Rows (user, resource, client) in the learned table',
      registers,
    }),
    seconds: new Histogram({
      name: 'radar_guard_review_duration_seconds',
      help: 'Time from the whole body read to the answer written',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.25],
      registers,
    }),
  };
}
export type GuardMetrics = ReturnType<typeof createGuardMetrics>;
