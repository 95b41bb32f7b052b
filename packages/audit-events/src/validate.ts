import { type AuditEvent, auditEventSchema, KNOWN_VERBS, STAGE_RANK } from './event.js';
import { dlq, ok, type StepResult } from './result.js';

/** Schema check plus the semantic checks the schema cannot express. */
export function validateEvent(raw: unknown): StepResult<AuditEvent> {
  const res = auditEventSchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    const path = issue.path.join('.') || '(root)';
    const reason = issue.path.length === 0 || !isEventLike(raw) ? 'not-an-event' : 'invalid-event';
    return dlq(reason, `${path}: ${issue.message}`);
  }
  const ev = res.data;
  if (!KNOWN_VERBS.has(ev.verb)) return dlq('unknown-verb', `verb: ${JSON.stringify(ev.verb.slice(0, 64))}`);
  if (STAGE_RANK[ev.stage] === undefined) return dlq('unknown-stage', `stage: ${JSON.stringify(ev.stage)}`);
  if (!eventTime(ev))
    return dlq('missing-timestamp', 'no requestReceivedTimestamp, timestamp or stageTimestamp');
  return ok(ev);
}

function isEventLike(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && ('auditID' in raw || 'verb' in raw || 'stage' in raw);
}

/** When the request arrived: shared by all stages of a request on v1 (v1beta1 has one per stage). */
export function eventTime(ev: AuditEvent): string | undefined {
  const t = receivedAt(ev);
  return t && !Number.isNaN(Date.parse(t)) ? t : undefined;
}

/** eventTime of an event validateEvent accepted (so it parses): without parsing it again. */
export const receivedAt = (ev: AuditEvent): string | undefined =>
  ev.requestReceivedTimestamp ?? ev.timestamp ?? ev.stageTimestamp;
