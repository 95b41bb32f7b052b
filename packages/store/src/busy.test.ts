import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockHolder, StoreBusyError } from './busy.js';
import { openStore } from './client.js';

const dir = mkdtempSync(join(tmpdir(), 'radar-busy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a data directory held by another process', () => {
  it('is refused before the engine opens it, naming the holder', async () => {
    // Another process opens the embedded store and keeps it, as `radar serve` does.
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { openStore } from ${JSON.stringify(new URL('./client.ts', import.meta.url).href)};
         await openStore({ dataDir: ${JSON.stringify(dir)}, database: 'radar' });
         process.stdout.write('open\\n');
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (b: Buffer) => b.toString().includes('open') && resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      expect(lockHolder(join(dir, 'clickhouse', 'status'))).toBe(holder.pid);
      const err = await openStore({ dataDir: dir, database: 'radar' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreBusyError);
      expect((err as StoreBusyError).message).toContain(`in use by another process (pid ${holder.pid})`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('reads /proc/locks lines by inode and skips this process', () => {
    expect(lockHolder(join(dir, 'missing'))).toBeUndefined();
    const ino = statSync(dir).ino;
    expect(lockHolder(dir, `1: FLOCK  ADVISORY  WRITE ${process.pid} fe:00:${ino} 0 EOF`)).toBeUndefined();
    expect(lockHolder(dir, `1: FLOCK  ADVISORY  WRITE 4242 fe:00:${ino + 1} 0 EOF`)).toBeUndefined();
    expect(lockHolder(dir, `1: FLOCK  ADVISORY  WRITE 4242 fe:00:${ino} 0 EOF`)).toBe(4242);
  });
});
