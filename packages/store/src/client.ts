import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client';
import { lockHolder, StoreBusyError } from './busy.js';
import { type RawInsert, SpillInserts } from './spill.js';

export type { RawInsert };

export interface StoreConfig {
  /** A ClickHouse server (http[s]://host:8123). Unset: the embedded chDB engine in dataDir. */
  url?: string | undefined;
  username?: string;
  password?: string;
  /** Directory of the embedded engine; ignored with a url. */
  dataDir: string;
  database: string;
  /** ClickHouse cluster name: migrations run ON CLUSTER with Replicated + Distributed tables. */
  cluster?: string | undefined;
}

export interface Store {
  readonly client: ClickHouseClient;
  readonly database: string;
  readonly cluster: string | undefined;
  readonly embedded: boolean;
  /**
   * The embedded engine's insert of bytes as they are, by way of a file the engine reads
   * (spill.ts: about 40% of the engine CPU of chDB's inline insert), where the client would first
   * turn them into a string and join it to the statement. Unset for a server.
   */
  readonly rawInsert?: (p: RawInsert) => Promise<void>;
  close(): Promise<void>;
}

/**
 * Settings sent with every statement, so the embedded engine and a server behave the same:
 * chDB applies per-call settings as session-wide SETs that persist, so each call must carry
 * the complete set it depends on (see docs/architecture.md, "chDB").
 */
export const BASE_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 0,
  date_time_output_format: 'iso',
};

/** Opens the one client of this process: chDB embedded by default, a server when a url is set. */
export async function openStore(cfg: StoreConfig): Promise<Store> {
  // Identifiers cannot be query parameters in DDL; accept only plain names.
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(cfg.database)) throw new Error(`bad database name: ${cfg.database}`);
  if (cfg.cluster !== undefined && !/^[A-Za-z0-9_.-]+$/.test(cfg.cluster)) {
    throw new Error(`bad cluster name: ${cfg.cluster}`);
  }
  let client: ClickHouseClient;
  let rawInsert: Store['rawInsert'];
  const embedded = !cfg.url;
  if (cfg.url) {
    const admin = createClient({ url: cfg.url, username: cfg.username, password: cfg.password });
    try {
      await admin.command({
        query: `CREATE DATABASE IF NOT EXISTS ${cfg.database}${cfg.cluster ? ` ON CLUSTER '${cfg.cluster}'` : ''}`,
      });
    } finally {
      await admin.close();
    }
    client = createClient({
      url: cfg.url,
      username: cfg.username,
      password: cfg.password,
      database: cfg.database,
      clickhouse_settings: BASE_SETTINGS,
    });
  } else {
    const dir = resolve(cfg.dataDir, 'clickhouse');
    mkdirSync(dir, { recursive: true });
    // Loaded lazily: a server deployment never needs the native engine.
    const holder = lockHolder(join(dir, 'status'));
    if (holder !== undefined) throw new StoreBusyError(cfg.dataDir, holder);
    const { createChdbConnection } = await import('chdb/connection');
    // chdb types against its own copy of @clickhouse/client-common; the contract is the same.
    type Connection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;
    const connection = createChdbConnection({ path: dir });
    client = createClient({ connection: connection as unknown as Connection });
    // The embedded session keeps USE and SETs for its lifetime: one database for all calls.
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${cfg.database}` });
    await client.command({ query: `USE ${cfg.database}` });
    const spill = new SpillInserts(client, resolve(cfg.dataDir, 'inserts'));
    rawInsert = (p) => spill.insert(p);
  }
  return {
    client,
    database: cfg.database,
    cluster: cfg.cluster,
    embedded,
    ...(rawInsert ? { rawInsert } : {}),
    close: () => client.close(),
  };
}

export function defaultDataDir(cwd = process.cwd()): string {
  return join(cwd, '.radar');
}
