import { BASE_SETTINGS } from '@radar/store';
import type { Command } from 'commander';
import { withStore } from '../context.js';
import { UsageError } from '../errors.js';
import { renderTable } from '../format.js';

const READ_ONLY = /^\s*(select|with|show|describe|desc|explain|exists)\b/i;

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('run a read-only SQL statement against the store (see queries/ for named queries)')
    .requiredOption('--sql <statement>', 'SELECT/WITH/SHOW/DESCRIBE/EXPLAIN statement')
    .option('--format <format>', 'json | table | csv', 'table')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(async (opts: { sql: string; format: string; dataDir?: string }) => {
      if (!['json', 'table', 'csv'].includes(opts.format))
        throw new UsageError(`--format ${opts.format}: use json, table or csv`);
      if (!READ_ONLY.test(opts.sql))
        throw new UsageError(
          '--sql: only read-only statements (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN, EXISTS)',
        );
      await withStore(opts, async (store) => {
        // readonly=2: reads only, but settings may still be set per query (the client sends some).
        const settings = { ...BASE_SETTINGS, readonly: '2' as const };
        if (opts.format === 'csv') {
          const rs = await store.client.query({
            query: opts.sql,
            format: 'CSVWithNames',
            clickhouse_settings: settings,
          });
          process.stdout.write(await rs.text());
          return;
        }
        const rs = await store.client.query({
          query: opts.sql,
          format: 'JSONEachRow',
          clickhouse_settings: settings,
        });
        const rows = await rs.json<Record<string, unknown>>();
        process.stdout.write(
          opts.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : renderTable(rows),
        );
      });
    });
}
