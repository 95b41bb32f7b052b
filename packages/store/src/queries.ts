import { readFileSync } from 'node:fs';
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
