import { createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../errors.js';

export interface Spool {
  path: string;
  /** Removes the spool now; also done on exit, SIGINT/SIGTERM and an uncaught exception. */
  remove(): void;
}

/** How much of the start is checked for binary data (a device, not a log). */
const CHECK_BYTES = 4096;
/** Default cap on what standard input may spool (--stdin-max-bytes). */
export const DEFAULT_STDIN_MAX_BYTES = 16 * 1024 ** 3;
/** Free space left on the spool's disk, whatever the cap: the store may share that disk. */
const DISK_RESERVE_BYTES = 1024 ** 3;

export interface SpoolOptions {
  maxBytes?: number;
  /** Where the spool goes (default the OS temp dir). */
  dir?: string;
}

/**
 * Standard input, copied to a private temp file (the embedded engine reads standard input at
 * start-up when it is not a terminal, and would race us for the first lines). The file goes
 * away on every way out but SIGKILL. Binary input (NUL bytes at the start, not gzip), such as
 * /dev/zero, is refused at once: it would otherwise be spooled without end.
 */
export async function spoolStdin(
  input: NodeJS.ReadableStream = process.stdin,
  opts: SpoolOptions = {},
): Promise<Spool> {
  if (process.stdin.isTTY && input === process.stdin)
    throw new UsageError('--file -: standard input is a terminal; pipe an audit log into it');
  const dir = await mkdtemp(join(opts.dir ?? tmpdir(), 'radar-stdin-'));
  // Endless input (`yes '{}' | radar ingest --file -`) would otherwise fill the disk: a cap,
  // lowered to what the disk can take with a reserve left, refused with one line naming it.
  const fs = await statfs(dir);
  const free = Math.max(0, fs.bavail * fs.bsize - DISK_RESERVE_BYTES);
  const cap = Math.min(opts.maxBytes ?? DEFAULT_STDIN_MAX_BYTES, free);
  const byDisk = cap < (opts.maxBytes ?? DEFAULT_STDIN_MAX_BYTES);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', remove);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    // Handlers removed: the signal's default action ends the process with the usual status.
    process.kill(process.pid, signal);
  };
  process.once('exit', remove);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const path = join(dir, 'stdin');
  try {
    await pipeline(input, refuseBinary(), capAt(cap, byDisk, dir), createWriteStream(path));
  } catch (e) {
    remove();
    throw e;
  }
  return { path, remove };
}

function refuseBinary(): Transform {
  let seen = 0;
  let gzip: boolean | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (seen < CHECK_BYTES) {
        gzip ??= chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
        const nul = gzip ? -1 : chunk.subarray(0, CHECK_BYTES - seen).indexOf(0);
        if (nul !== -1)
          return done(
            new UsageError(
              `--file -: standard input is binary (NUL at byte ${seen + nul}), not an audit log`,
            ),
          );
        seen += chunk.length;
      }
      done(null, chunk);
    },
  });
}

function capAt(max: number, byDisk: boolean, dir: string): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      if (total <= max) return done(null, chunk);
      const why = byDisk
        ? `the free space on ${dir}'s disk less a 1 GiB reserve (${max} bytes)`
        : `--stdin-max-bytes ${max}`;
      done(
        new UsageError(
          `--file -: standard input passed ${why} before it ended; nothing was stored. ` +
            'Standard input is spooled whole before ingest: write the log to a file and ingest that, ' +
            'or raise --stdin-max-bytes',
        ),
      );
    },
  });
}
