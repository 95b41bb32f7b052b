// @radar/field-paths: request bodies reduced to the paths of their fields (never values), and the
// evidence built on them (set / omitted / dropped per client and changed field, schema inference).
export { type BodyConfig, type EventLike, reduceDeniedBody, takeRequestPaths } from './body.js';
export { type BodyEnv, type BodyOptions, bodyConfigFromEnv, createBodyConfig } from './config.js';
export { ALWAYS_DENIED, type DenyList, DenyListError, parseDenyList } from './deny.js';
export * from './evidence/index.js';
export { CARRIED_PATHS, CARRIED_STATUS, carriedBody, extractPaths } from './extract.js';
export {
  DEFAULT_LIMITS,
  type Limits,
  OMISSION_STATUSES,
  PATHS_STATUSES,
  type PathSet,
  type PathsStatus,
} from './limits.js';
export { GENERIC_MAP_NAMES, loadMapIndex, type MapIndex, mapIndexOf, type ResourceShape } from './maps.js';
export { stripBodies } from './redact.js';
