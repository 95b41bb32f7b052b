export { DEFAULT_HISTORY_MS, type EvidenceQuery, type FieldEvidence, fieldEvidence } from './counts.js';
export { type Evidence, type EvidenceScope, fieldTargets, gatherEvidence, withEvidence } from './gather.js';
export {
  type DatedField,
  datedFields,
  type InferQuery,
  type InferredVersion,
  identityFold,
  inferClientVersions,
  inferenceKey,
  inferFromRows,
  type SetFieldRow,
} from './infer.js';
export { type EvidenceTarget, minorOf, targetParams } from './targets.js';
