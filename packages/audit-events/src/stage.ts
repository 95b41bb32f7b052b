import { type AuditEvent, STAGE_RANK } from './event.js';
import { eventTime } from './validate.js';

/**
 * The apiserver writes one event per stage of a request. Within a batch keep only the most
 * complete stage of each request (ResponseComplete/Panic over ResponseStarted over
 * RequestReceived); a request seen only at an earlier stage still counts once. Across batches the
 * table does the same (ReplacingMergeTree on stage_rank). Returns how many were superseded.
 */
export function keepMostCompleteStage(events: AuditEvent[]): { kept: AuditEvent[]; superseded: number } {
  const best = new Map<string, AuditEvent>();
  for (const ev of events) {
    const key = requestKey(ev);
    const prev = best.get(key);
    if (!prev || STAGE_RANK[ev.stage]! > STAGE_RANK[prev.stage]!) best.set(key, ev);
  }
  return { kept: [...best.values()], superseded: events.length - best.size };
}

/**
 * Identity of a request: its audit ID plus, on v1, its receive time. Collectors that anonymise
 * audit IDs (the same ID on unrelated requests) therefore don't merge different requests.
 */
export function requestKey(ev: AuditEvent): string {
  return ev.requestReceivedTimestamp ? `${ev.auditID}\u0000${ev.requestReceivedTimestamp}` : ev.auditID;
}

export { eventTime };
