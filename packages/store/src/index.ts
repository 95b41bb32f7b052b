export { type Store, type StoreConfig, openStore, BASE_SETTINGS, defaultDataDir } from './client.js';
export { migrate, loadMigrations, renderMigration, MIGRATIONS_DIR, type MigrateResult } from './migrate.js';
export { insertRows, type InsertOptions } from './insert.js';
export { loadNamedQuery, runNamedQuery, QUERIES_DIR, type NamedQuery } from './queries.js';
