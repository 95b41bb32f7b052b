import { loadConfig } from '@radar/config';
import { RedisUnavailableError, SchedulerConfigError, startScheduler } from '@radar/scheduler';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

export function registerScheduler(program: Command): void {
  program
    .command('scheduler')
    .description(
      'run the job scheduler (rank snapshots, weekly reports, alert checks) on Redis until SIGTERM/SIGINT; configured by the environment (docs/alerts-and-scheduler.md)',
    )
    .option('--data-dir <dir>', 'embedded ClickHouse data directory (default RADAR_DATA_DIR)')
    .action(async (opts: { dataDir?: string }) => {
      const cfg = loadConfig({ ...process.env, ...(opts.dataDir ? { RADAR_DATA_DIR: opts.dataDir } : {}) });
      let scheduler: Awaited<ReturnType<typeof startScheduler>>;
      try {
        scheduler = await startScheduler({}, cfg);
      } catch (err) {
        if (err instanceof SchedulerConfigError || err instanceof RedisUnavailableError)
          throw new UsageError(err.message);
        throw err;
      }
      // Runs until a signal: the ordered shutdown lets the job in flight finish first.
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      process.stderr.write(`radar scheduler: ${signal}, shutting down\n`);
      await scheduler.close();
    });
}
