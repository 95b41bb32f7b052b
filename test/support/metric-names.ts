import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo.js';

/**
 * Metrics that deploy/ may use though no service registers them in this branch: being added in
 * parallel (remove a name here once its service exports it), or exported by a Kafka exporter.
 */
export const PENDING_METRICS: string[] = [];
export const EXTERNAL_METRICS = ['kafka_consumergroup_lag', 'up'];

/** Every metric name a prom-client Counter/Gauge/Histogram in services/ or packages/ registers. */
export function exportedMetricNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/name: '(radar_[a-z0-9_]+)'/g))
          names.add(String(m[1]));
      }
    }
  };
  walk(join(REPO_ROOT, 'services'));
  walk(join(REPO_ROOT, 'packages'));
  return names;
}

/** The series a Histogram exposes beside its own name. */
const SUFFIXES = ['_bucket', '_sum', '_count'];

/** Metric names a PromQL expression refers to (identifiers followed by a selector, range or space). */
export function metricNamesIn(expr: string): string[] {
  const words = expr.replace(/"[^"]*"/g, '""').match(/\b[a-z_][a-z0-9_]*\b(?=\s*[{[)\s]|$)/g) ?? [];
  return [...new Set(words.filter((w) => w.startsWith('radar_') || [...EXTERNAL_METRICS].includes(w)))];
}

/** The names in `used` that are neither exported, pending nor external (histogram series included). */
export function unknownMetrics(used: Iterable<string>): string[] {
  const known = exportedMetricNames();
  const ok = (n: string) =>
    known.has(n) ||
    PENDING_METRICS.includes(n) ||
    EXTERNAL_METRICS.includes(n) ||
    SUFFIXES.some((s) => n.endsWith(s) && known.has(n.slice(0, -s.length)));
  return [...new Set(used)].filter((n) => !ok(n));
}
