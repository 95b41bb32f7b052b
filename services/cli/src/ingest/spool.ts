import { createWriteStream, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
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

/**
 * Standard input, copied to a private temp file (the embedded engine reads standard input at
 * start-up when it is not a terminal, and would race us for the first lines). The file goes
 * away on every way out but SIGKILL. Binary input (NUL bytes at the start, not gzip), such as
 * /dev/zero, is refused at once: it would otherwise be spooled without end.
 */
export async function spoolStdin(input: NodeJS.ReadableStream = process.stdin): Promise<Spool> {
  if (process.stdin.isTTY && input === process.stdin)
    throw new UsageError('--file -: standard input is a terminal; pipe an audit log into it');
  const dir = await mkdtemp(join(tmpdir(), 'radar-stdin-'));
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
    await pipeline(input, refuseBinary(), createWriteStream(path));
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
