import { migrate } from '@radar/store';
import type { Command } from 'commander';
import { printJson, withStore } from '../context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply the numbered ClickHouse migrations (idempotent; also done at every start)')
    .option('--data-dir <dir>', 'embedded ClickHouse data directory')
    .action(async (opts: { dataDir?: string }) => {
      // withStore migrates on open; report what this run applied by migrating first ourselves.
      const result = await withStore({ ...opts, migrate: false }, (store) => migrate(store));
      printJson(result);
    });
}
