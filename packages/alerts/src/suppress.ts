import { guardSummary } from './guard.js';
import { severityOf, summarize } from './rules.js';
import type { Alert } from './types.js';

export interface SuppressedFinding {
  cluster: string;
  client: string;
  resource: string;
  keys: string[];
}

/** Drops changes already alerted; an alert left with no change is suppressed as a whole. */
export function suppress(
  alerts: readonly Alert[],
  seen: ReadonlySet<string>,
): { fresh: Alert[]; suppressed: SuppressedFinding[] } {
  const fresh: Alert[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const a of alerts) {
    const keep = a.changes.filter((c) => !seen.has(c.key));
    const dropped = a.changes.filter((c) => seen.has(c.key)).map((c) => c.key);
    if (dropped.length > 0) {
      suppressed.push({
        cluster: a.cluster,
        client: `${a.client.name}/${a.client.version}`,
        resource: `${a.group || 'core'}/${a.resource}`,
        keys: dropped,
      });
    }
    if (keep.length === 0) continue;
    if (keep.length === a.changes.length) fresh.push(a);
    else {
      // A guard alert's severity is its verdict's, not its changes'.
      const severity = a.guard ? a.severity : severityOf(keep, a.client.kubeMinor === null);
      const trimmed: Alert = { ...a, changes: keep, severity };
      trimmed.summary = a.guard ? guardSummary(trimmed) : summarize(trimmed);
      fresh.push(trimmed);
    }
  }
  return { fresh, suppressed };
}
