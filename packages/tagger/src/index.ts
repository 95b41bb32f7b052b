export { checkApiserver } from './apiserver.js';
export { GUARD_VERDICTS, type GuardVerdict, guardFieldsOf, guardVerdictOf } from './guard.js';
export {
  AUDIT_COLUMNS,
  type AuditRow,
  type RequestPaths,
  rowCells,
  type WriteClass,
  writeClassOf,
} from './row.js';
export {
  type ApiserverIdentity,
  type Position,
  type TaggerConfig,
  type TaggerDeps,
  tagEvent,
} from './tag.js';
export { parseRequestUri, type UriParts } from './uri.js';
