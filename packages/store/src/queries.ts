import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from './client.js';
import { BASE_SETTINGS } from './client.js';

/** Named, documented, parameterised ({name:Type}) SQL that platform teams can also run by hand. */
export const QUERIES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'queries');

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
