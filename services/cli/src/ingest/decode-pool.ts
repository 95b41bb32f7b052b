import type { DecodeOptions } from '@radar/audit-events';
import { bodyOptionsOf, type RadarConfig } from '@radar/config';
import { DecodePool } from '@radar/ingest-worker';

const CLI_YOUNG_GENERATION_MB = 32;

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
  return new DecodePool(
    {
      cluster,
      decode,
      bodies: bodyOptionsOf(cfg),
      userAgentCacheSize: 10_000,
      recentCapacity: 0,
      // A CLI decode thread keeps a smaller young generation than the worker's 128 MB: file
      // ingest's peak RSS fell by ~150 MB for no measurable CPU (docs/performance.md).
      youngGenerationMb: cfg.INGEST_DECODE_YOUNG_MB ?? CLI_YOUNG_GENERATION_MB,
    },
    threads,
    onThreadError,
  );
}
