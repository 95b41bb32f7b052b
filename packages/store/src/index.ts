export {
  BASE_SETTINGS,
  defaultDataDir,
  openStore,
  type RawInsert,
  type Store,
  type StoreConfig,
} from './client.js';
export { engineErrorCode } from './errors.js';
export { type InsertOptions, insertBody, insertRows } from './insert.js';
export {
  loadMigrations,
  MIGRATIONS_DIR,
  type MigrateResult,
  migrate,
  openMigratedStore,
  renderMigration,
} from './migrate.js';
export { loadNamedQuery, type NamedQuery, QUERIES_DIR, runNamedQuery } from './queries.js';
