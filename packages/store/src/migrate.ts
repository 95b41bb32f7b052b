import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store, type StoreConfig } from './client.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Migration files are plain SQL with four layout markers, resolved from configuration only
 * (never from data), so one file serves a single node and a cluster:
 *   {{on_cluster}}  → '' or "ON CLUSTER 'name'"
 *   {{replicated}}  → '' or 'Replicated' (engine prefix; replica path from server defaults)
 *   {{local}}       → '' or '_local' (suffix of the storage table behind a Distributed one)
 *   {{cluster}}     → the cluster name
 * A statement preceded by a line "-- @cluster-only" runs only on a cluster (Distributed tables).
 */
export function renderMigration(sql: string, cluster: string | undefined): string[] {
  const statements = sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--.*$/gm, '').trim().length > 0);
  const out: string[] = [];
  for (const stmt of statements) {
    const clusterOnly = /^--\s*@cluster-only\b/m.test(stmt);
    if (clusterOnly && !cluster) continue;
    out.push(
      stmt
        .replaceAll('{{on_cluster}}', cluster ? `ON CLUSTER '${cluster}'` : '')
        .replaceAll('{{replicated}}', cluster ? 'Replicated' : '')
        .replaceAll('{{local}}', cluster ? '_local' : '')
        .replaceAll('{{cluster}}', cluster ?? ''),
    );
  }
  return out;
}

export function loadMigrations(dir = MIGRATIONS_DIR, cluster?: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.replace(/\.sql$/, ''),
      statements: renderMigration(readFileSync(join(dir, f), 'utf8'), cluster),
    }));
}

/** Applies the numbered migrations not yet recorded; every statement is idempotent (IF NOT EXISTS). */
export async function migrate(store: Store, dir = MIGRATIONS_DIR): Promise<MigrateResult> {
  const onCluster = store.cluster ? `ON CLUSTER '${store.cluster}'` : '';
  const engine = store.cluster ? 'ReplicatedReplacingMergeTree' : 'ReplacingMergeTree';
  await store.client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations ${onCluster}
      (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ${engine} ORDER BY version`,
  });
  const rs = await store.client.query({
    query: 'SELECT version FROM schema_migrations FINAL',
    format: 'JSONEachRow',
  });
  const done = new Set((await rs.json<{ version: number }>()).map((r) => Number(r.version)));
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  for (const m of loadMigrations(dir, store.cluster)) {
    if (done.has(m.version)) {
      result.alreadyApplied.push(m.name);
      continue;
    }
    for (const query of m.statements) await store.client.command({ query });
    await store.client.insert({
      table: 'schema_migrations',
      values: [{ version: m.version, name: m.name }],
      format: 'JSONEachRow',
      clickhouse_settings: { async_insert: 0, insert_deduplicate: 0 },
    });
    result.applied.push(m.name);
  }
  return result;
}

/** Opens the store and applies pending migrations: what every service does at start. */
export async function openMigratedStore(
  cfg: StoreConfig,
  onApplied: (names: string[]) => void = () => {},
): Promise<Store> {
  const store = await openStore(cfg);
  try {
    const { applied } = await migrate(store);
    if (applied.length > 0) onApplied(applied);
    return store;
  } catch (e) {
    await store.close();
    throw e;
  }
}
