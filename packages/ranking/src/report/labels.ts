import type { Severity } from '../types.js';

export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#b71c1c',
  high: '#e65100',
  'needs-verification': '#b8860b',
  low: '#1565c0',
  info: '#607d8b',
};

export function clientLabel(c: { client: string; clientVersion: string | null }): string {
  return c.clientVersion ? `${c.client} ${c.clientVersion}` : c.client;
}

export function gvr(f: { group: string; version: string; resource: string }): string {
  return `${f.group || 'core'}/${f.version} ${f.resource}`;
}

/** How many clients get their own line in the daily chart; the rest are summed as "others". */
export const CHART_CLIENTS = 8;

/** The field evidence of a finding (docs/field-evidence.md): '' for findings it does not apply to. */
export function evidenceLabel(f: {
  set?: number;
  omitted?: number;
  dropped?: number;
  droppedObjects?: string[];
}): string {
  if (f.set === undefined) return '';
  const where = f.droppedObjects?.length ? ` (${f.droppedObjects.join(', ')})` : '';
  return `set ${f.set} · omitted ${f.omitted ?? 0} · dropped ${f.dropped ?? 0}${where}`;
}

/** The client's Kubernetes version as the report shows it, with what its own requests prove. */
export function kubeLabel(c: {
  kubeVersion: string | null;
  kubeVersionOverridden: boolean;
  inferredVersion?: { min: string } | null;
}): string {
  const proven = c.inferredVersion ? ` (sends fields of ${c.inferredVersion.min}+)` : '';
  return `${c.kubeVersion ?? 'unknown'}${c.kubeVersionOverridden ? ' (override)' : ''}${proven}`;
}

/** Day columns ('YYYY-MM-DD'): month and day while the window stays in one year, else the whole date. */
export function dayLabels(days: readonly string[]): string[] {
  const oneYear = days.every((d) => d.slice(0, 4) === days[0]?.slice(0, 4));
  return days.map((d) => (oneYear ? d.slice(5) : d));
}
