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
