import { describe, expect, it } from 'vitest';
import { INGEST_ENGINE_MALLOC_CONF, lowMemoryIngest } from './memory.js';

describe('lowMemoryIngest', () => {
  it("keeps V8's young generation at its first size and makes the engine's allocator return pages within 100 ms", () => {
    const flags: string[] = [];
    const env: Record<string, string | undefined> = {};
    const applied = lowMemoryIngest({ env, setV8Flags: (f) => flags.push(f) });
    expect(flags).toEqual(['--semi-space-growth-factor=1']);
    expect(env.JE_MALLOC_CONF).toBe(INGEST_ENGINE_MALLOC_CONF);
    expect(applied).toEqual({ v8Flags: flags, engineMallocConf: INGEST_ENGINE_MALLOC_CONF });
  });

  it("leaves the user's own allocator settings alone", () => {
    const env: Record<string, string | undefined> = { JE_MALLOC_CONF: 'narenas:4' };
    expect(lowMemoryIngest({ env, setV8Flags: () => {} }).engineMallocConf).toBe('narenas:4');
    expect(env.JE_MALLOC_CONF).toBe('narenas:4');
  });
});
