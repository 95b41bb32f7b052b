export { lockHolder, StoreBusyError } from './busy.js';
export {
  BASE_SETTINGS,
  defaultDataDir,
  openStore,
  type RawInsert,
  type Store,
  type StoreConfig,
} from './client.js';
export { engineErrorCode, isDataError, storeErrorKind } from './errors.js';
export { type InsertOptions, insertBody, insertRows } from './insert.js';
export {
  loadMigrations,
  MIGRATIONS_DIR,
  type MigrateResult,
  migrate,
  openMigratedStore,
  renderMigration,
} from './migrate.js';
export * from './named/index.js';
export {
  listNamedQueries,
  loadNamedQuery,
  type NamedQuery,
  type NamedQueryParameter,
  namedQueryParameters,
  QUERIES_DIR,
  runNamedQuery,
} from './queries.js';
export {
  chTime,
  defineQuery,
  type ParamsOf,
  placeholdersOf,
  type Query,
  type QueryOutcome,
  QueryParamsError,
  QueryRowsError,
  type RowOf,
} from './query.js';
export { paramMismatches } from './query-check.js';
export {
  DEFAULT_SANDBOX_LIMITS,
  MAX_STATEMENT_CHARS,
  openSandbox,
  type QueryParams,
  SANDBOX_FORMATS,
  type Sandbox,
  type SandboxFormat,
  type SandboxLimits,
  SandboxRefusal,
} from './sandbox.js';
export {
  ALLOWED_TABLE_FUNCTIONS,
  checkParseTree,
  type EngineCatalog,
  KNOWN_TABLE_FUNCTIONS,
  type Refusal,
  type RefusalReason,
} from './sandbox-ast.js';
