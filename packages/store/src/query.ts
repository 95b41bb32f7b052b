import { InputError } from '@radar/errors';
import type { z } from 'zod';
import type { Store } from './client.js';
import { BASE_SETTINGS } from './client.js';
import { loadNamedQuery, type NamedQuery, QUERIES_DIR } from './queries.js';

/**
 * A named query bound to queries/<name>.sql with a schema for its parameters and one for its
 * rows (after trigger.dev's ClickHouse package): parameters are checked and encoded once (Dates
 * by the placeholder's type), rows are parsed once, so no caller casts or converts a value.
 */
export interface Query<P extends z.ZodObject, R extends z.ZodObject> {
  readonly name: string;
  readonly params: P;
  readonly row: R;
  /** The SQL file, read on first use. */
  source(): NamedQuery;
  /** Throws QueryParamsError (input), the engine's error unchanged, or QueryRowsError. */
  run(store: Store, params: z.input<P>): Promise<z.output<R>[]>;
  /** The same as run, with the failure as a value. */
  tryRun(store: Store, params: z.input<P>): Promise<QueryOutcome<z.output<R>>>;
}

export type QueryOutcome<Row> = { ok: true; rows: Row[] } | { ok: false; error: unknown };

export type RowOf<Q> = Q extends Query<z.ZodObject, infer R> ? z.output<R> : never;
export type ParamsOf<Q> = Q extends Query<infer P, z.ZodObject> ? z.input<P> : never;

/** The parameters do not fit the query's schema: the caller's (or its user's) input is wrong. */
export class QueryParamsError extends InputError {
  override readonly name = 'QueryParamsError';
}

/** The engine answered rows the query's row schema refuses: the SQL and its schema disagree. */
export class QueryRowsError extends Error {
  override readonly name = 'QueryRowsError';
}

/** `{name:Type}` placeholders of a statement, by name (the first type written wins). */
export function placeholdersOf(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.replace(/--.*$/gm, '').matchAll(/\{([A-Za-z_][A-Za-z0-9_]*):([^}]+)\}/g)) {
    if (!out.has(m[1]!)) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}

/** ClickHouse DateTime64 text in UTC: '2026-01-02 03:04:05.678'. */
export function chTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

function encode(value: unknown, type: string): unknown {
  if (value instanceof Date)
    return /^Date(32)?$/.test(type) ? value.toISOString().slice(0, 10) : chTime(value);
  if (Array.isArray(value)) {
    const inner = /^Array\((.*)\)$/.exec(type)?.[1] ?? '';
    return value.map((v) => encode(v, inner));
  }
  return value;
}

function describe(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

export function defineQuery<P extends z.ZodObject, R extends z.ZodObject>(def: {
  name: string;
  params: P;
  row: R;
  dir?: string;
}): Query<P, R> {
  let loaded: { q: NamedQuery; types: Map<string, string> } | undefined;
  const load = () => {
    if (!loaded) {
      const q = loadNamedQuery(def.name, def.dir ?? QUERIES_DIR);
      loaded = { q, types: placeholdersOf(q.sql) };
    }
    return loaded;
  };
  const rows = z_array(def.row);
  const run = async (store: Store, input: z.input<P>): Promise<z.output<R>[]> => {
    const { q, types } = load();
    const parsed = def.params.safeParse(input);
    if (!parsed.success) {
      throw new QueryParamsError(`query ${def.name}: bad parameters: ${describe(parsed.error.issues)}`, {
        where: def.name,
      });
    }
    const query_params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(parsed.data as Record<string, unknown>)) {
      query_params[k] = encode(v, types.get(k) ?? '');
    }
    const rs = await store.client.query({
      query: q.sql,
      query_params,
      format: 'JSONEachRow',
      clickhouse_settings: { ...BASE_SETTINGS },
    });
    const got = rows.safeParse(await rs.json());
    if (!got.success) {
      throw new QueryRowsError(
        `query ${def.name}: rows do not fit its schema: ${describe(got.error.issues)}`,
      );
    }
    return got.data as z.output<R>[];
  };
  return {
    name: def.name,
    params: def.params,
    row: def.row,
    source: () => load().q,
    run,
    async tryRun(store, input) {
      try {
        return { ok: true, rows: await run(store, input) };
      } catch (error) {
        return { ok: false, error };
      }
    },
  };
}

// Row arrays are parsed as one array so an issue's path names the row index.
function z_array<R extends z.ZodObject>(row: R): z.ZodArray<R> {
  return row.array() as z.ZodArray<R>;
}
