import { SEVERITIES, type Severity } from './types.js';

export function severityIndex(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function worst(a: Severity, b: Severity): Severity {
  return severityIndex(a) <= severityIndex(b) ? a : b;
}

const WEIGHT: Record<Severity, number> = {
  critical: 4000,
  high: 3000,
  'needs-verification': 2000,
  low: 1000,
  info: 0,
};

/**
 * Severity sets the thousands, risky volume the rest (100 x log10(1 + requests) stays below
 * 1000 up to a billion requests), so the score never puts a busier client above a more severe
 * one. Ties on score are ordered by requests, distinct objects, then recency (see compareClients).
 */
export function score(severity: Severity, requests: number): number {
  return Math.round((WEIGHT[severity] + 100 * Math.log10(1 + requests)) * 100) / 100;
}

export interface Sortable {
  client: string;
  clientVersion: string | null;
  severity: Severity;
  requests: number;
  objects: number;
  lastSeen: string;
}

export function compareClients(a: Sortable, b: Sortable): number {
  return (
    severityIndex(a.severity) - severityIndex(b.severity) ||
    b.requests - a.requests ||
    b.objects - a.objects ||
    (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0) ||
    a.client.localeCompare(b.client) ||
    (a.clientVersion ?? '').localeCompare(b.clientVersion ?? '')
  );
}
