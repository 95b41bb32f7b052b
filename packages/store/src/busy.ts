import { readFileSync, statSync } from 'node:fs';

/**
 * The embedded engine holds its data directory with an exclusive lock on `<dir>/status` for the
 * life of the process: a second process cannot open it. Found here first (Linux /proc/locks), so
 * the user gets one line naming the holder instead of the engine's own stderr and a stack trace.
 */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError';
  constructor(
    readonly dir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `the embedded store ${dir} is in use by another process${pid ? ` (pid ${pid})` : ''}: one process per ` +
        'data directory. Stop it (e.g. `radar serve`), pass another --data-dir, or use a ClickHouse server ' +
        '(CLICKHOUSE_URL) that many processes can share',
    );
  }
}

/** The pid holding a lock on `path`, if any (undefined where /proc/locks cannot tell). */
export function lockHolder(path: string, locks = readLocks()): number | undefined {
  let ino: number;
  try {
    ino = statSync(path).ino;
  } catch {
    return undefined;
  }
  // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF" (maj:min:inode after the pid)
  for (const line of locks.split('\n')) {
    const f = line.trim().split(/\s+/);
    const pid = Number(f[4]);
    const node = f[5]?.split(':')[2];
    if (node !== undefined && Number(node) === ino && pid !== process.pid) return pid;
  }
  return undefined;
}

function readLocks(): string {
  try {
    return readFileSync('/proc/locks', 'utf8');
  } catch {
    return '';
  }
}
