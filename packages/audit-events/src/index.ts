export { type AuditEvent, auditEventSchema, KNOWN_VERBS, STAGE_RANK } from './event.js';
export { decodeMessage, DEFAULT_DECODE, type DecodeOptions } from './decode.js';
export { validateEvent, eventTime } from './validate.js';
export { keepMostCompleteStage, requestKey } from './stage.js';
export { readAuditRecords, openInput, type AuditRecord, InputError } from './file.js';
export { type StepResult, type RejectReason, type DropReason, ok, dlq, drop } from './result.js';
