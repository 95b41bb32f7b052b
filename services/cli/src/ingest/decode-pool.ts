import type { DecodeOptions } from '@radar/audit-events';
import type { RadarConfig } from '@radar/config';
import { DecodePool } from '@radar/ingest-worker';

/**
 * The worker's decode threads for the CLI's ingest paths (file ingest, radar serve's webhook), or
 * undefined for decoding on the event loop (threads 0). Each path picks its default from what was
 * measured (docs/performance.md). Recent-request memory stays with the caller (0 here).
 */
export function cliDecodePool(
  cfg: RadarConfig,
  cluster: string,
  decode: DecodeOptions,
  threads: number,
  onThreadError: (err: Error, fatal: boolean) => void = () => {},
): DecodePool | undefined {
  if (threads <= 0) return undefined;
  const bodies = {
    INGEST_FIELD_PATHS: cfg.INGEST_FIELD_PATHS,
    INGEST_BODY_DENYLIST: [...cfg.INGEST_BODY_DENYLIST],
    INGEST_MAX_PATHS: cfg.INGEST_MAX_PATHS,
    INGEST_MAX_PATH_DEPTH: cfg.INGEST_MAX_PATH_DEPTH,
    INGEST_LIST_SAMPLE: cfg.INGEST_LIST_SAMPLE,
  };
  return new DecodePool(
    { cluster, decode, bodies, userAgentCacheSize: 10_000, recentCapacity: 0 },
    threads,
    onThreadError,
  );
}
