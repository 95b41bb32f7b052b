import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { spoolStdin } from './spool.js';

const line = Buffer.from('{"auditID":"a","stage":"ResponseComplete","verb":"get"}\n');

/** An endless pipe of one line repeated (`yes '{...}'`), until `limit` lines when given. */
function endless(limit = Number.POSITIVE_INFINITY): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= limit) return void this.push(null);
      sent++;
      this.push(line);
    },
  });
}

describe('spoolStdin', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const d = mkdtempSync(join(tmpdir(), 'spool-test-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('spools input under the cap whole', async () => {
    const dir = scratch();
    const spool = await spoolStdin(endless(100), { maxBytes: 1_000_000, dir });
    expect(readFileSync(spool.path).length).toBe(100 * line.length);
    spool.remove();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses endless input at the cap with one line naming it, and leaves no spool behind', async () => {
    const dir = scratch();
    const err = await spoolStdin(endless(), { maxBytes: 64 * 1024, dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/--stdin-max-bytes 65536 before it ended; nothing was stored/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses binary input at once', async () => {
    const dir = scratch();
    const zeros = Readable.from([Buffer.alloc(8192)]);
    await expect(spoolStdin(zeros, { dir })).rejects.toThrow(/standard input is binary \(NUL at byte 0\)/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
