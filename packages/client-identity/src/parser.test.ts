import { describe, expect, it } from 'vitest';
import { parseUserAgent, UserAgentParser } from './index.js';

const KUBECTL = 'kubectl/v1.29.3 (linux/amd64) kubernetes/6813625';

describe('UserAgentParser', () => {
  it('returns what parseUserAgent returns, frozen', () => {
    const p = new UserAgentParser(10);
    const r = p.parse(KUBECTL);
    expect(r).toEqual(parseUserAgent(KUBECTL));
    expect(Object.isFrozen(r)).toBe(true);
  });

  it('serves repeats from the cache', () => {
    const p = new UserAgentParser(10);
    const first = p.parse(KUBECTL);
    expect(p.parse(KUBECTL)).toBe(first);
    expect(p.stats()).toEqual({ size: 1, maxEntries: 10, hits: 1, misses: 1 });
  });

  it('never holds more than maxEntries and evicts the least recently used', () => {
    const p = new UserAgentParser(3);
    const a = p.parse('a/1.0.0');
    p.parse('b/1.0.0');
    p.parse('c/1.0.0');
    expect(p.parse('a/1.0.0')).toBe(a); // a is now the most recent; b the oldest
    p.parse('d/1.0.0');
    expect(p.stats().size).toBe(3);
    expect(p.parse('a/1.0.0')).toBe(a);
    const misses = p.stats().misses;
    p.parse('b/1.0.0'); // evicted, parsed again
    expect(p.stats().misses).toBe(misses + 1);
    for (let i = 0; i < 1000; i++) p.parse(`op-${i}/v1.0.${i}`);
    expect(p.stats().size).toBe(3);
  });

  it('does not cache absent or oversized user agents', () => {
    const p = new UserAgentParser(10);
    expect(p.parse(undefined).name).toBe('unknown');
    expect(p.parse(null).versionReason).toBe('missing');
    expect(p.parse('x'.repeat(5000)).name).toHaveLength(128);
    expect(p.stats().size).toBe(0);
  });

  it('works with caching disabled', () => {
    const p = new UserAgentParser(0);
    expect(p.parse(KUBECTL).version).toBe('1.29.3');
    expect(p.stats().size).toBe(0);
  });

  it('keeps separate caches per instance', () => {
    const a = new UserAgentParser(10);
    const b = new UserAgentParser(10);
    a.parse(KUBECTL);
    expect(b.stats().size).toBe(0);
    a.clear();
    expect(a.stats().size).toBe(0);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects maxEntries %s', (n) => {
    expect(() => new UserAgentParser(n)).toThrow(/maxEntries/);
  });
});
