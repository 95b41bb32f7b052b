/**
 * How `radar ingest` keeps its memory down (issue 14: <= 600 MB RSS whatever the file's size);
 * none of it changes what is stored. What can be set after start, lowMemoryIngest sets before the
 * engine loads (docs/performance.md, "Fourth pass"); what only a process start can set,
 * relaunchForIngest sets by restarting in place ("Fifth pass").
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

/** Applies the two settable after start; returns what was applied, for the log. Call before the store is opened. */
export function lowMemoryIngest(knobs: RuntimeKnobs): { v8Flags: string[]; engineMallocConf: string } {
  for (const f of INGEST_V8_FLAGS) knobs.setV8Flags(f);
  knobs.env.JE_MALLOC_CONF ??= INGEST_ENGINE_MALLOC_CONF;
  return { v8Flags: [...INGEST_V8_FLAGS], engineMallocConf: knobs.env.JE_MALLOC_CONF };
}

/**
 * glibc's malloc (Node's own allocations: buffers, the decode thread's) for `radar ingest`:
 * - a fixed mmap threshold: by default glibc raises it to the size of each large block freed, so
 *   a chunk's multi-megabyte buffers then come from the heap, and pages freed below its top are
 *   never returned (108 MB of `[heap]` seen at a peak; 13 MB with this);
 * - at most two arenas instead of eight per core for the few threads that allocate.
 * Peak RSS -40 to -55 MB, CPU within noise alone (docs/performance.md, "Fifth pass"). glibc
 * reads both once, when the process starts: hence relaunchForIngest.
 */
export const INGEST_GLIBC_ENV = {
  MALLOC_ARENA_MAX: '2',
  GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072',
} as const;
/** Set on the relaunched process (so it never relaunches again); set it yourself to opt out. */
export const RELAUNCHED = 'RADAR_INGEST_RELAUNCHED';

/**
 * V8's old generation limit for `radar ingest`, event loop and decode thread alike (a node flag is
 * process-wide). V8 sizes its heap's growth by that limit: the default (~4 GB here) lets each heap
 * grow to several times what it holds between collections, 512 MB to a fraction more (256 MB
 * measured the same). Peak RSS at 1.2M events 629-647 -> 561-572 MB, for +16-33% CPU with the
 * glibc settings (docs/performance.md, "Fifth pass"). What a heap holds is bounded by the chunks
 * in flight (~3 of chunkLines lines, a few hundred bytes of strings and views per line, ~26 MB at
 * the default) and the rows waiting for their insert (a group of --insert-rows, counted twice for
 * the chunks decoded meanwhile), so the limit
 * grows with both and never binds an ingest that would have fit; so does the largest event
 * allowed (INGEST_MAX_EVENT_BYTES).
 */
export function ingestOldSpaceMb(chunkLines: number, maxEventBytes: number, insertRows = 0): number {
  // A decode thread parses one event at a time: its objects take up to ~10x its bytes. Rows
  // waiting for their insert keep ~300 bytes of strings each (a group, counted twice: headroom).
  const lines = chunkLines * 3 * 2048 + insertRows * 2 * 300;
  return Math.max(512, 128 + Math.ceil((lines + maxEventBytes * 10) / 1048576));
}

export interface ProcessImage {
  platform: string;
  env: Record<string, string | undefined>;
  execPath: string;
  execArgv: readonly string[];
  argv: readonly string[];
  /** process.execve (Node >= 22.15): replaces this process in place, same PID and descriptors. */
  execve?: ((file: string, args: string[], env: Record<string, string>) => never) | undefined;
}

/**
 * Restarts this process in place with INGEST_GLIBC_ENV and the heap limit where missing: no second
 * process, nothing read or written yet (call it first). Returns only when it did not relaunch
 * (done already, opted out, not Linux, no execve, or the user set all of it), naming why.
 */
export function relaunchForIngest(p: ProcessImage, oldSpaceMb: number): string {
  if (p.env[RELAUNCHED] !== undefined) return `${RELAUNCHED} is set`;
  if (p.platform !== 'linux') return `glibc tunables do not apply on ${p.platform}`;
  if (!p.execve) return 'this Node.js has no process.execve';
  const missing = Object.entries(INGEST_GLIBC_ENV).filter(([k]) => p.env[k] === undefined);
  // A limit the user gave (command line or NODE_OPTIONS) is theirs.
  const userHeap = [...p.execArgv, p.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--max-old-space-size'));
  const flags = userHeap ? [] : [`--max-old-space-size=${oldSpaceMb}`];
  if (missing.length === 0 && flags.length === 0)
    return 'the allocator and heap settings are set by the user';
  const env: Record<string, string> = { [RELAUNCHED]: '1' };
  for (const [k, v] of Object.entries(p.env)) if (v !== undefined) env[k] = v;
  for (const [k, v] of missing) env[k] = v;
  try {
    return p.execve(p.execPath, [p.execPath, ...p.execArgv, ...flags, ...p.argv.slice(1)], env);
  } catch (e) {
    // Only memory is at stake: ingest as this process is.
    return `execve failed: ${(e as Error).message}`;
  }
}
