import { type AuditEvent, auditEventSchema, KNOWN_VERBS, STAGE_RANK } from './event.js';
import { quickEvent } from './quick.js';
import { dlq, ok, type StepResult } from './result.js';
import { readTime } from './time.js';
import { wellFormed } from './unicode.js';

/**
 * Schema check plus the semantic checks the schema cannot express. An accepted event's
 * requestReceivedTimestamp is rewritten to its canonical form and its audit ID made well-formed
 * UTF-16, so every later step (stage merging, duplicate checks, the stored row) sees one identity
 * for the request. (v1beta1 times are per stage, not identity: read by receivedAt.)
 */
export function validateEvent(raw: unknown): StepResult<AuditEvent> {
  // Junk (no auditID, verb or stage at all) is refused before the schema: zod's error path costs
  // ~50 us an item, and a 5,000-junk-item POST held the webhook's event loop for a third of a second.
  if (!isEventLike(raw)) return dlq('not-an-event', `(root): expected an audit Event, got ${describe(raw)}`);
  // The hand-written check takes what the schema surely accepts; zod decides (and words) the rest.
  let ev = quickEvent(raw);
  if (ev === undefined) {
    const res = auditEventSchema.safeParse(raw);
    if (!res.success) {
      const issue = res.error.issues[0]!;
      const path = issue.path.join('.') || '(root)';
      const reason = issue.path.length === 0 || !isEventLike(raw) ? 'not-an-event' : 'invalid-event';
      return dlq(reason, `${path}: ${issue.message}`);
    }
    ev = res.data;
  }
  if (!KNOWN_VERBS.has(ev.verb)) return dlq('unknown-verb', `verb: ${JSON.stringify(ev.verb.slice(0, 64))}`);
  if (STAGE_RANK[ev.stage] === undefined) return dlq('unknown-stage', `stage: ${JSON.stringify(ev.stage)}`);
  const field = timeField(ev);
  const when = field ? ev[field]! : '';
  const t = readTime(when);
  if (!field || !t.ok) {
    // Neither RFC 3339 nor anything JavaScript reads as a time: there is no time at all.
    if (!field || t.ok || Number.isNaN(Date.parse(when)))
      return dlq('missing-timestamp', 'no requestReceivedTimestamp, timestamp or stageTimestamp');
    return dlq('invalid-timestamp', `${field}: ${JSON.stringify(when.slice(0, 64))}: ${t.why}`);
  }
  if (field === 'requestReceivedTimestamp') ev.requestReceivedTimestamp = t.iso;
  // A lone surrogate cannot be stored (the engine refuses the whole insert); the ID is identity.
  ev.auditID = wellFormed(ev.auditID);
  return ok(ev);
}

function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  return typeof raw === 'object' ? 'an object without auditID, verb or stage' : typeof raw;
}

function isEventLike(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && ('auditID' in raw || 'verb' in raw || 'stage' in raw);
}

type TimeField = 'requestReceivedTimestamp' | 'timestamp' | 'stageTimestamp';

/** The field that holds when the request arrived (v1: requestReceivedTimestamp; v1beta1: timestamp). */
function timeField(ev: AuditEvent): TimeField | undefined {
  if (ev.requestReceivedTimestamp !== undefined) return 'requestReceivedTimestamp';
  if (ev.timestamp !== undefined) return 'timestamp';
  if (ev.stageTimestamp !== undefined) return 'stageTimestamp';
  return undefined;
}

/** When the request arrived: shared by all stages of a request on v1 (v1beta1 has one per stage). */
export function eventTime(ev: AuditEvent): string | undefined {
  const t = receivedAt(ev);
  return t && readTime(t).ok ? t : undefined;
}

/**
 * The time of an event validateEvent accepted, in canonical form (`YYYY-MM-DDTHH:MM:SS.sssZ`):
 * the form its row stores and its duplicate checks compare.
 */
export function receivedAt(ev: AuditEvent): string | undefined {
  if (ev.requestReceivedTimestamp !== undefined) return ev.requestReceivedTimestamp;
  const t = readTime(ev.timestamp ?? ev.stageTimestamp ?? '');
  return t.ok ? t.iso : undefined;
}
