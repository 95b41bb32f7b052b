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
 * agents and millions of requests, so nearly every call on the ingest path is a Map hit. Create one per
 * consumer (no module-level cache). Results are frozen because they are shared between callers.
 */
export class UserAgentParser {
  readonly maxEntries: number;
  private readonly cache = new Map<string, Readonly<ClientIdentity>>();
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
  }

  parse(ua: string | undefined | null): Readonly<ClientIdentity> {
    // Oversized UAs are not cached: a flood of unique huge strings must not pin memory.
    if (typeof ua !== 'string' || ua.length > MAX_USER_AGENT_LENGTH || this.maxEntries === 0) {
      this.misses++;
      return Object.freeze(parseUserAgent(ua));
    }
    const hit = this.cache.get(ua);
    if (hit !== undefined) {
      this.hits++;
      // Re-insert so Map order is least- to most-recently used.
      this.cache.delete(ua);
      this.cache.set(ua, hit);
      return hit;
    }
    this.misses++;
    const id = Object.freeze(parseUserAgent(ua));
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(ua, id);
    return id;
  }

  stats(): UserAgentParserStats {
    return { size: this.cache.size, maxEntries: this.maxEntries, hits: this.hits, misses: this.misses };
  }

  clear(): void {
    this.cache.clear();
  }
}
