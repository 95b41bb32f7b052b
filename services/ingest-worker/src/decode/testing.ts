import type { DecoderConfig } from './decoder.js';

/** A small decoder configuration for tests: body paths on, little memory. */
export function testDecoderConfig(over: Partial<DecoderConfig> = {}): DecoderConfig {
  return {
    cluster: 'c',
    decode: { maxBytes: 1 << 20 },
    bodies: { extract: true, deny: [], limits: { maxPaths: 100, maxDepth: 8, listSample: 10 } },
    userAgentCacheSize: 100,
    recentCapacity: 1000,
    ...over,
  };
}
