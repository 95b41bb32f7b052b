export {
  DEFAULT_DECODE,
  DEFAULT_MAX_DOCUMENT_BYTES,
  type DecodeOptions,
  decodeMessage,
  isEventList,
} from './decode.js';
export {
  type AuditEvent,
  auditEventSchema,
  GUARD_ANNOTATION_PREFIX,
  GUARD_FIELDS_KEY,
  GUARD_VERDICT_KEY,
  KNOWN_VERBS,
  STAGE_RANK,
} from './event.js';
export { type AuditRecord, InputError, openInput, readAuditRecords } from './file.js';
export { ItemSplitter, type SplitItem } from './items.js';
export { quickEvent } from './quick.js';
export {
  type DropReason,
  dlq,
  drop,
  type ItemRange,
  ok,
  type RejectReason,
  type StepResult,
} from './result.js';
export { requestKey } from './stage.js';
export { MAX_TIME_MS, MIN_TIME_MS, readTime, type TimeResult } from './time.js';
export { isWellFormed, wellFormed } from './unicode.js';
export { eventTime, receivedAt, validateEvent } from './validate.js';
