import {
  DEFAULT_SANDBOX_LIMITS,
  listNamedQueries,
  loadNamedQuery,
  namedQueryParameters,
  openSandbox,
  type QueryParams,
  type SandboxFormat,
  type SandboxLimits,
  SandboxRefusal,
} from '@radar/store';
import type { Command } from 'commander';
import { withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { csvForTerminal, escapeTerminal, renderTable, stringifyJson } from '../format.js';
import { formatOption } from '../options.js';

interface QueryOpts {
  sql?: string;
  name?: string;
  param: string[];
  list?: boolean;
  format: string;
  timeout: string;
  maxRows: string;
  maxBytes: string;
  dataDir?: string;
}

const collect = (v: string, all: string[]) => [...all, v];

function positive(flag: string, value: string, integer: boolean): number {
  const n = Number(value);
  const good = value.trim() !== '' && Number.isFinite(n) && n > 0 && (!integer || Number.isSafeInteger(n));
  if (!good) throw new UsageError(`${flag} ${value}: use a positive ${integer ? 'whole ' : ''}number`);
  return n;
}

function limitsOf(o: QueryOpts): SandboxLimits {
  return {
    timeoutS: positive('--timeout', o.timeout, false),
    maxRows: positive('--max-rows', o.maxRows, true),
    maxBytes: positive('--max-bytes', o.maxBytes, true),
  };
}

function parseParams(raw: readonly string[]): QueryParams {
  const params: QueryParams = {};
  for (const p of raw) {
    const eq = p.indexOf('=');
    const name = eq < 0 ? p : p.slice(0, eq);
    if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new UsageError(`--param ${escapeTerminal(p)}: use --param name=value`);
    }
    if (name in params) throw new UsageError(`--param ${name} is given twice`);
    params[name] = p.slice(eq + 1);
  }
  return params;
}

// The engine reads DateTime parameters as 'YYYY-MM-DD hh:mm:ss[.fff]' only; an ISO 8601 time
// with an explicit zone is unambiguous, so it is turned into that (in UTC).
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function engineTime(type: string, value: string | number): string | number {
  if (typeof value !== 'string' || !/^DateTime/.test(type) || !ISO_WITH_ZONE.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** The named query's SQL and its parameters, exactly the ones it declares. */
function namedStatement(name: string, given: QueryParams): { sql: string; params: QueryParams } {
  if (!listNamedQueries().some((q) => q.name === name)) {
    throw new UsageError(`--name ${escapeTerminal(name)}: no such named query (see radar query --list)`);
  }
  const q = loadNamedQuery(name);
  const declared = namedQueryParameters(q.sql);
  const takes = declared.length
    ? `it takes ${declared.map((p) => `--param ${p.name}=<${p.type}>`).join(' ')}`
    : 'it takes no --param';
  const missing = declared.filter((p) => !(p.name in given)).map((p) => p.name);
  const extra = Object.keys(given).filter((k) => !declared.some((p) => p.name === k));
  if (missing.length) throw new UsageError(`--name ${name}: missing --param ${missing.join(', ')}; ${takes}`);
  if (extra.length) throw new UsageError(`--name ${name}: unknown --param ${extra.join(', ')}; ${takes}`);
  const params: QueryParams = {};
  for (const p of declared) params[p.name] = engineTime(p.type, given[p.name]!);
  return { sql: q.sql, params };
}

function printList(format: string): void {
  const all = listNamedQueries();
  if (format === 'json') process.stdout.write(`${stringifyJson(all)}\n`);
  else process.stdout.write(renderTable(all));
}

function printResult(text: string, format: string): void {
  if (format === 'csv') {
    process.stdout.write(process.stdout.isTTY ? csvForTerminal(text) : text);
    return;
  }
  const rows = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  process.stdout.write(format === 'json' ? `${stringifyJson(rows)}\n` : renderTable(rows));
}

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('run one read-only statement, or a named query from queries/, in the query sandbox')
    .option('--sql <statement>', 'one SELECT / WITH / SHOW / DESCRIBE / EXISTS / EXPLAIN statement')
    .option('--name <query>', 'run queries/<query>.sql (see --list)')
    .option('--param <name=value>', 'a {name:Type} parameter of the statement (repeat for each)', collect, [])
    .option('--list', 'list the named queries')
    .addOption(formatOption(['json', 'table', 'csv'], 'table'))
    .option('--timeout <seconds>', 'time limit of the statement', String(DEFAULT_SANDBOX_LIMITS.timeoutS))
    .option('--max-rows <n>', 'refuse a result of more rows', String(DEFAULT_SANDBOX_LIMITS.maxRows))
    .option('--max-bytes <n>', 'refuse a result of more bytes', String(DEFAULT_SANDBOX_LIMITS.maxBytes))
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(async (opts: QueryOpts) => {
      if (opts.list) {
        if (opts.sql !== undefined || opts.name !== undefined)
          throw new UsageError('--list takes no --sql or --name');
        printList(opts.format);
        return;
      }
      if ((opts.sql === undefined) === (opts.name === undefined))
        throw new UsageError('give either --sql <statement> or --name <query> (see --list)');
      const limits = limitsOf(opts);
      const given = parseParams(opts.param);
      const { sql, params } =
        opts.name !== undefined ? namedStatement(opts.name, given) : { sql: opts.sql!, params: given };
      const format: SandboxFormat = opts.format === 'csv' ? 'CSVWithNames' : 'JSONEachRow';
      const what = opts.name !== undefined ? `--name ${opts.name}` : '--sql';
      await withStore(opts, async (store) => {
        const sandbox = await openSandbox(store, limits);
        let text: string;
        try {
          text = await sandbox.run(sql, { format, ...(Object.keys(params).length ? { params } : {}) });
        } catch (err) {
          if (err instanceof SandboxRefusal) throw new UsageError(escapeTerminal(`${what}: ${err.message}`));
          throw err;
        }
        printResult(text, opts.format);
      });
    });
}
