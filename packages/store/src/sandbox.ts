import type { ClickHouseSettings } from '@clickhouse/client';
import { BASE_SETTINGS, type Store } from './client.js';
import { engineErrorCode } from './errors.js';
import {
  checkParseTree,
  type EngineCatalog,
  KNOWN_TABLE_FUNCTIONS,
  type RefusalReason,
} from './sandbox-ast.js';

/**
 * The read-only sandbox for statements written by a user (`radar query`, later an HTTP endpoint):
 * exactly one statement, proven by the engine's parser before anything runs; only reads; no
 * INTO OUTFILE, no SETTINGS, no table function that reaches files, processes or the network; and
 * the engine's own limits (readonly=1, time, result size) on every statement.
 */
export interface SandboxLimits {
  /** max_execution_time, seconds. */
  timeoutS: number;
  /** max_result_rows. */
  maxRows: number;
  /** max_result_bytes (uncompressed, as the engine counts them). */
  maxBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  timeoutS: 30,
  maxRows: 100_000,
  maxBytes: 64 * 1024 * 1024,
};

/** The output formats a sandboxed statement may use; spliced as `FORMAT <name>`, so a fixed list. */
export const SANDBOX_FORMATS = ['JSONEachRow', 'CSVWithNames'] as const;
export type SandboxFormat = (typeof SANDBOX_FORMATS)[number];

/** The engine's own max_query_size; checked here first so the parse step has a bound too. */
export const MAX_STATEMENT_CHARS = 256 * 1024;

export type QueryParams = Record<string, string | number>;

/** A statement the sandbox will not run, or that the engine refused: the user's to fix. */
export class SandboxRefusal extends Error {
  override readonly name = 'SandboxRefusal';
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly engineCode?: number,
  ) {
    super(message);
  }
}

/**
 * Engine codes that say the engine or its host failed, not the statement (authentication,
 * overload, network, cancelled, internal): those stay infrastructure errors. Every other engine
 * code raised by the user's statement (syntax, unknown table, readonly, limits, timeout) is a
 * refusal of that statement.
 */
const INFRASTRUCTURE_CODES = new Set([
  192, 193, 202, 203, 209, 210, 236, 242, 394, 425, 516, 999, 1000, 1001, 1002,
]);

export interface Sandbox {
  readonly limits: SandboxLimits;
  /** Throws SandboxRefusal unless `sql` is one statement the sandbox allows. */
  check(sql: string, params?: QueryParams): Promise<void>;
  /**
   * Checks, then runs `sql` under the limits; the whole result as text in `format`. On the
   * embedded engine once only (the session stays locked, see openSandbox).
   */
  run(sql: string, opts: { format: SandboxFormat; params?: QueryParams }): Promise<string>;
}

function checkLimits(l: SandboxLimits): void {
  if (!(Number.isFinite(l.timeoutS) && l.timeoutS > 0)) throw new Error(`bad sandbox timeout: ${l.timeoutS}`);
  for (const [k, v] of [
    ['maxRows', l.maxRows],
    ['maxBytes', l.maxBytes],
  ] as const) {
    if (!(Number.isSafeInteger(v) && v > 0)) throw new Error(`bad sandbox ${k}: ${v}`);
  }
}

/** The statement exactly as it is sent: what the client would send, built here so it is the checked text. */
function statementText(sql: string, format: SandboxFormat): string {
  return `${sql.trim().replace(/;+$/, '')} \nFORMAT ${format}`;
}

function oneLine(err: unknown): string {
  const e = err as { message?: unknown; type?: unknown };
  let msg = String(e.message ?? err);
  // The parse step wraps the statement in formatQuery(); the echo of the wrapper only adds noise.
  const wrapper = msg.indexOf(' In scope SELECT formatQuery(');
  if (wrapper > 0) msg = msg.slice(0, wrapper);
  msg = msg
    .replace(/\s+/g, ' ')
    .replace(/[\s.:]+$/, '')
    .trim();
  if (msg.length > 500) msg = `${msg.slice(0, 500)}…`;
  return typeof e.type === 'string' && e.type !== '' ? `${e.type}: ${msg}` : msg;
}

/** Engine errors of the user's statement become refusals; anything else passes unchanged. */
async function asRefusal<T>(reason: RefusalReason, prefix: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const code = engineErrorCode(err);
    if (code === undefined || INFRASTRUCTURE_CODES.has(code)) throw err;
    throw new SandboxRefusal(reason, `${prefix}${oneLine(err)}`, code);
  }
}

async function streamText(stream: AsyncIterable<Buffer | string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

/**
 * The sandbox over `store`. On a server the limits and readonly=1 go with every statement. The
 * embedded engine applies per-call settings as SETs on its one session, and readonly=1 refuses
 * SET: so there the first run() locks the session for good (its settings, readonly=1 last),
 * after the statement's checks and before it runs, and the sandbox runs one statement. Open a
 * store for this use alone, migrated beforehand (as `radar query` does: one process per call).
 */
export async function openSandbox(
  store: Store,
  limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS,
): Promise<Sandbox> {
  checkLimits(limits);
  const time: Record<string, string | number> = {
    ...(BASE_SETTINGS as Record<string, string | number>),
    max_execution_time: limits.timeoutS,
    timeout_overflow_mode: 'throw',
  };
  const settings: Record<string, string | number> = {
    ...time,
    max_result_rows: limits.maxRows,
    max_result_bytes: limits.maxBytes,
    result_overflow_mode: 'throw',
    readonly: 1, // last: after it no SET is accepted
  };
  // The checks' own results (the parse tree, the list of table functions) are not the user's
  // result: no result limits on them.
  const checkSettings = (store.embedded ? {} : { ...time, readonly: 1 }) as ClickHouseSettings;
  const runSettings = (store.embedded ? {} : settings) as ClickHouseSettings;
  let used = false;
  const lock = async () => {
    for (const [k, v] of Object.entries(settings)) {
      await store.client.command({ query: `SET ${k} = ${typeof v === 'number' ? v : `'${v}'`}` });
    }
  };
  // A server might otherwise be left running a statement the client gave up on.
  const signal = () => AbortSignal.timeout((limits.timeoutS + 10) * 1000);
  let catalog: Promise<EngineCatalog> | undefined;

  const names = async (query: string, fallback: readonly string[]): Promise<Set<string>> => {
    const found = new Set(fallback);
    try {
      const rs = await store.client.query({
        query,
        format: 'JSONEachRow',
        clickhouse_settings: checkSettings,
      });
      for (const r of await rs.json<{ n: string }>()) found.add(r.n);
    } catch (err) {
      // An engine that hides the list still gets the built-in one.
      if (engineErrorCode(err) === undefined) throw err;
    }
    return found;
  };
  const loadCatalog = async (): Promise<EngineCatalog> => ({
    tableFunctions: await names('SELECT lower(name) AS n FROM system.table_functions', KNOWN_TABLE_FUNCTIONS),
    views: await names(
      "SELECT name AS n FROM system.tables WHERE database = currentDatabase() AND engine = 'View'",
      [],
    ),
  });

  const check = async (text: string, params: QueryParams | undefined): Promise<void> => {
    if (text.length > MAX_STATEMENT_CHARS) {
      throw new SandboxRefusal('too-long', `the statement is longer than ${MAX_STATEMENT_CHARS} characters`);
    }
    // formatQuery parses its argument (bound as a parameter, never run): one statement, or an error.
    await asRefusal('syntax', 'not exactly one valid statement: ', async () => {
      const rs = await store.client.query({
        query: 'SELECT formatQuery({q:String}) AS f',
        query_params: { q: text },
        format: 'JSONEachRow',
        clickhouse_settings: checkSettings,
      });
      await rs.json();
    });
    // Proven a single statement: EXPLAIN AST only parses it (an INTO OUTFILE stays the inner
    // statement's, nothing is written). The inner statement takes the FORMAT, so the tree
    // comes in the default format.
    const rows = await asRefusal('engine', '', async () => {
      const res = await store.client.exec({
        query: `EXPLAIN AST ${text}`,
        ...(params ? { query_params: params } : {}),
        clickhouse_settings: { ...checkSettings, default_format: 'JSONEachRow' },
        abort_signal: signal(),
      });
      return (await streamText(res.stream))
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => String(Object.values(JSON.parse(l) as Record<string, unknown>)[0]));
    });
    catalog ??= loadCatalog();
    const refusal = checkParseTree(rows, await catalog);
    if (refusal) throw new SandboxRefusal(refusal.reason, refusal.message);
  };

  return {
    limits,
    check: (sql, params) => check(statementText(sql, 'JSONEachRow'), params),
    async run(sql, { format, params }) {
      if (!SANDBOX_FORMATS.includes(format)) throw new Error(`format not allowed in the sandbox: ${format}`);
      if (store.embedded && used)
        throw new Error('an embedded sandbox runs one statement: open another store');
      used = true;
      const text = statementText(sql, format);
      await check(text, params);
      if (store.embedded) await lock();
      return asRefusal('engine', '', async () => {
        const res = await store.client.exec({
          query: text,
          ...(params ? { query_params: params } : {}),
          clickhouse_settings: runSettings,
          abort_signal: signal(),
        });
        return streamText(res.stream);
      });
    },
  };
}
