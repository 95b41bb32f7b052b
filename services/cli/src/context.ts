import { loadConfig, type RadarConfig, storeConfigOf } from '@radar/config';
import { migrate, openStore, type Store } from '@radar/store';

/** The environment, parsed once per process (the CLI is a service: it may read it). */
export function cliConfig(): RadarConfig {
  return loadConfig(process.env);
}

/** Opens the store named by --data-dir / CLICKHOUSE_URL, migrated, and closes it after fn. */
export async function withStore<T>(
  opts: { dataDir?: string | undefined; migrate?: boolean; cfg?: RadarConfig },
  fn: (store: Store, cfg: RadarConfig) => Promise<T>,
): Promise<T> {
  const cfg = opts.cfg ?? cliConfig();
  const store = await openStore(storeConfigOf(cfg, opts.dataDir));
  try {
    if (opts.migrate !== false) await migrate(store);
    return await fn(store, cfg);
  } finally {
    await store.close();
  }
}

/** Writes one JSON document to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
