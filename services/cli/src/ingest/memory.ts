/**
 * How `radar ingest` keeps its memory down (issue 14: <= 600 MB RSS whatever the file's size),
 * applied before the embedded engine is loaded. Both were measured on the same 150,000-event file
 * (docs/performance.md, "Fourth pass"); neither changes what is stored.
 * - V8's young generation stays at its first size instead of growing to 3 x 16 MB: the event loop
 *   only reads lines and hands chunks on, so little of what it allocates survives a scavenge.
 *   This V8 flag is read each time the young generation would grow, so setting it after start
 *   works (unlike --max-semi-space-size, which only a node command line can set).
 * - The engine's allocator (jemalloc, inside libchdb) returns freed pages to the system within
 *   100 ms instead of 10 s: an ingest frees each chunk's blocks as soon as it is stored. (At 0 ms
 *   it saved as much but cost +28% wall time: a madvise per free.)
 *   jemalloc reads JE_MALLOC_CONF when libchdb is loaded; a value the user set is left alone.
 */
export const INGEST_V8_FLAGS = ['--semi-space-growth-factor=1'] as const;
export const INGEST_ENGINE_MALLOC_CONF = 'dirty_decay_ms:100,muzzy_decay_ms:0';

export interface RuntimeKnobs {
  /** process.env: the engine's allocator reads it when the engine loads. */
  env: Record<string, string | undefined>;
  /** v8.setFlagsFromString. */
  setV8Flags(flags: string): void;
}

/** Applies both; returns what was applied, for the log. Call before the store is opened. */
export function lowMemoryIngest(knobs: RuntimeKnobs): { v8Flags: string[]; engineMallocConf: string } {
  for (const f of INGEST_V8_FLAGS) knobs.setV8Flags(f);
  knobs.env.JE_MALLOC_CONF ??= INGEST_ENGINE_MALLOC_CONF;
  return { v8Flags: [...INGEST_V8_FLAGS], engineMallocConf: knobs.env.JE_MALLOC_CONF };
}
