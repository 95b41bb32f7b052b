import type { DecoderConfig } from './decoder.js';

/** A small decoder configuration for tests: body paths on, little memory. */
export function testDecoderConfig(over: Partial<DecoderConfig> = {}): DecoderConfig {
  return {
    cluster: 'c',
    decode: { maxBytes: 1 << 20 },
    bodies: {
      INGEST_FIELD_PATHS: true,
      INGEST_BODY_DENYLIST: [],
      INGEST_MAX_PATHS: 100,
      INGEST_MAX_PATH_DEPTH: 8,
      INGEST_LIST_SAMPLE: 10,
    },
    userAgentCacheSize: 100,
    recentCapacity: 1000,
    ...over,
  };
}
