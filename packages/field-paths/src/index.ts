// @radar/field-paths: request bodies reduced to the paths of their fields (never values). The
// evidence built on those paths lives in @radar/ranking (src/evidence/), which reads it.
export { type BodyConfig, type EventLike, reduceDeniedBody, takeRequestPaths } from './body.js';
export { type BodyOptions, createBodyConfig } from './config.js';
export { ALWAYS_DENIED, type DenyList, DenyListError, parseDenyList } from './deny.js';
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
