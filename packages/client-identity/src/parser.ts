import { LRUCache } from 'lru-cache';
import { parseUserAgent } from './parse.js';
import { MAX_USER_AGENT_LENGTH } from './sanitize.js';
import type { ClientIdentity } from './types.js';

export const DEFAULT_CACHE_ENTRIES = 10_000;

export interface UserAgentParserStats {
  size: number;
  maxEntries: number;
  hits: number;
  misses: number;
}

/**
 * parseUserAgent with a bounded LRU cache keyed by the raw UA. A cluster has a few hundred distinct user
 * agents and millions of requests, so nearly every call on the ingest path is a cache hit (lru-cache). Create one per
 * consumer (no module-level cache). Results are frozen because they are shared between callers.
 */
export class UserAgentParser {
  readonly maxEntries: number;
  private readonly cache: LRUCache<string, Readonly<ClientIdentity>> | undefined;
  private hits = 0;
  private misses = 0;

  /** @param maxEntries most distinct UAs kept; 0 disables caching. */
  constructor(maxEntries: number = DEFAULT_CACHE_ENTRIES) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 0) {
      throw new RangeError(
        `UserAgentParser: maxEntries must be a non-negative integer, got ${String(maxEntries)}`,
      );
    }
    this.maxEntries = maxEntries;
    this.cache = maxEntries > 0 ? new LRUCache({ max: maxEntries }) : undefined;
  }

  parse(ua: string | undefined | null): Readonly<ClientIdentity> {
    // Oversized UAs are not cached: a flood of unique huge strings must not pin memory.
    if (typeof ua !== 'string' || ua.length > MAX_USER_AGENT_LENGTH || this.cache === undefined) {
      this.misses++;
      return Object.freeze(parseUserAgent(ua));
    }
    const hit = this.cache.get(ua);
    if (hit !== undefined) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const id = Object.freeze(parseUserAgent(ua));
    this.cache.set(ua, id);
    return id;
  }

  stats(): UserAgentParserStats {
    return { size: this.cache?.size ?? 0, maxEntries: this.maxEntries, hits: this.hits, misses: this.misses };
  }

  clear(): void {
    this.cache?.clear();
  }
}
