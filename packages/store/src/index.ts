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
export { loadNamedQuery, type NamedQuery, QUERIES_DIR, runNamedQuery } from './queries.js';
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
