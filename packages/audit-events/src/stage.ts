import type { AuditEvent } from './event.js';

/**
 * Identity of a request: its audit ID plus, on v1, its receive time. Collectors that anonymise
 * audit IDs (the same ID on unrelated requests) therefore don't merge different requests.
 */
export function requestKey(ev: AuditEvent): string {
  return ev.requestReceivedTimestamp ? `${ev.auditID}\u0000${ev.requestReceivedTimestamp}` : ev.auditID;
}
