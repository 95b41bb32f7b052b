import type { RadarConfig } from './env.js';

/** The store settings of the environment (shaped like @radar/store's StoreConfig). */
export function storeConfigOf(cfg: RadarConfig, dataDir?: string) {
  return {
    url: cfg.CLICKHOUSE_URL,
    username: cfg.CLICKHOUSE_USER,
    password: cfg.CLICKHOUSE_PASSWORD,
    database: cfg.CLICKHOUSE_DATABASE,
    cluster: cfg.CLICKHOUSE_CLUSTER,
    dataDir: dataDir ?? cfg.RADAR_DATA_DIR,
  };
}

/**
 * How request bodies are reduced (shaped like @radar/field-paths' BodyOptions): plain data, so a
 * decode thread gets it as it is. Only here do the INGEST_* names meet the body options.
 */
export function bodyOptionsOf(cfg: RadarConfig) {
  return {
    extract: cfg.INGEST_FIELD_PATHS,
    deny: cfg.INGEST_BODY_DENYLIST,
    limits: {
      maxPaths: cfg.INGEST_MAX_PATHS,
      maxDepth: cfg.INGEST_MAX_PATH_DEPTH,
      listSample: cfg.INGEST_LIST_SAMPLE,
    },
  };
}
