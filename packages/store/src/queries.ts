import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/** The named queries in dir: each name with the first line of its documentation. */
export function listNamedQueries(dir = QUERIES_DIR): { name: string; summary: string }[] {
  return readdirSync(dir)
    .filter((f) => /^[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const q = loadNamedQuery(f.slice(0, -4), dir);
      const first = q.description.split('\n')[0] ?? '';
      return { name: q.name, summary: first.replace(new RegExp(`^${q.name}:\\s*`), '') };
    });
}

export interface NamedQueryParameter {
  name: string;
  type: string;
}

/**
 * The `{name:Type}` parameters of a named query, in order of first use. Read from the text of
 * our own files (comment lines skipped); the engine still checks every value against its type.
 */
export function namedQueryParameters(sql: string): NamedQueryParameter[] {
  const seen = new Map<string, string>();
  const code = sql
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n');
  for (const m of code.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*):([^{}]+)\}/g)) {
    if (!seen.has(m[1]!)) seen.set(m[1]!, m[2]!.trim());
  }
  return [...seen].map(([name, type]) => ({ name, type }));
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
