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
