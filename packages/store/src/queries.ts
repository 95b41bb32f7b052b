import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from './client.js';
import { BASE_SETTINGS } from './client.js';

/**
 * Named, documented, parameterised ({name:Type}) SQL that platform teams can also run by hand.
 * It sits at the repository root (and beside the packages in the image, deploy/image/assemble.sh):
 * the nearest ancestor of this package holding a queries/ directory, from src/ and dist/ alike.
 */
export const QUERIES_DIR = findQueriesDir(dirname(fileURLToPath(import.meta.url)));

function findQueriesDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'queries');
    if (existsSync(join(candidate, 'rank_candidates.sql'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`queries/ not found above ${from}`);
  }
}

export interface NamedQuery {
  name: string;
  description: string;
  sql: string;
}

/** Reads queries/<name>.sql; its leading "-- " comment lines are its documentation. */
export function loadNamedQuery(name: string, dir = QUERIES_DIR): NamedQuery {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad query name: ${name}`);
  const sql = readFileSync(join(dir, `${name}.sql`), 'utf8');
  const description = sql
    .split('\n')
    .filter((l) => l.startsWith('--'))
    .map((l) => l.replace(/^--\s?/, ''))
    .join('\n');
  return { name, description, sql: sql.trim().replace(/;\s*$/, '') };
}

/**
 * @deprecated Untyped: rows are cast, not checked. Use a query of `@radar/store`'s named queries
 * (or `defineQuery` for a new file): `rankCandidates.run(store, params)`. Kept so branches written
 * against it still compile; nothing in the tree calls it.
 */
export async function runNamedQuery<Row>(
  store: Store,
  name: string,
  params: Record<string, unknown>,
  dir = QUERIES_DIR,
): Promise<Row[]> {
  const q = loadNamedQuery(name, dir);
  const rs = await store.client.query({
    query: q.sql,
    query_params: params,
    format: 'JSONEachRow',
    clickhouse_settings: { ...BASE_SETTINGS },
  });
  return rs.json<Row>();
}
