// @radar/catalog: what changes between two Kubernetes versions, per group/version/resource and field.
export { builtinChanges, builtinGroups } from './catalog-file.js';
export { type DiffOptions, diffSpecs, sortChanges } from './diff.js';
export { CatalogInputError } from './errors.js';
export {
  apiVersion,
  describeDetails,
  renderMarkdown,
  renderResources,
  renderTable,
  resourceName,
} from './format.js';
export { compareMinors, KNOWN_MINORS, parseMinor, parseReportedMinor, tryParseMinor } from './minor.js';
export {
  CHANGE_TYPES,
  type Change,
  type ChangeDetails,
  type ChangeType,
  changeKey,
  changeSchema,
} from './model.js';
export { changesBetween, changesFor, type ResourceSummary, summarizeByResource } from './query.js';
export type { SnapshotOptions } from './snapshot.js';
export { parseSpecBytes, readSpecFile, type SwaggerDoc } from './spec.js';
export {
  type ImportOptions,
  type ImportResult,
  importSpec,
  listImports,
  prepareImport,
  userChanges,
} from './user.js';
