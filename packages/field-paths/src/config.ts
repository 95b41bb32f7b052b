import type { BodyConfig } from './body.js';
import { parseDenyList } from './deny.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { loadMapIndex } from './maps.js';

export interface BodyOptions {
  extract?: boolean;
  limits?: Partial<Limits>;
  /** Extra denied resources (kubectl style); Secrets are always denied. */
  deny?: readonly string[];
}

/** Builds what the ingest pipeline needs: call once per process and pass it along. */
export function createBodyConfig(opts: BodyOptions = {}): BodyConfig {
  return {
    extract: opts.extract ?? true,
    limits: { ...DEFAULT_LIMITS, ...definedOnly(opts.limits ?? {}) },
    deny: parseDenyList(opts.deny ?? []),
    maps: loadMapIndex(),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * @deprecated Use `createBodyConfig(bodyOptionsOf(cfg))` (@radar/config): only the config
 * package should know INGEST_* names. Kept until services/cli/src/commands/ingest.ts moves.
 */
export interface BodyEnv {
  INGEST_FIELD_PATHS: boolean;
  INGEST_BODY_DENYLIST: readonly string[];
  INGEST_MAX_PATHS: number;
  INGEST_MAX_PATH_DEPTH: number;
  INGEST_LIST_SAMPLE: number;
}

/** @deprecated Use `createBodyConfig(bodyOptionsOf(cfg))` (@radar/config). */
export function bodyConfigFromEnv(env: BodyEnv): BodyConfig {
  return createBodyConfig({
    extract: env.INGEST_FIELD_PATHS,
    deny: env.INGEST_BODY_DENYLIST,
    limits: {
      maxPaths: env.INGEST_MAX_PATHS,
      maxDepth: env.INGEST_MAX_PATH_DEPTH,
      listSample: env.INGEST_LIST_SAMPLE,
    },
  });
}
