import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRadar, startProcess } from '../support/processes.js';

// The README promises: an argument mistake prints one line naming it, exit code 2, nothing written.
describe('radar argument mistakes', () => {
  it.each([
    [['ingest', '--fiel', 'x'], "radar ingest: unknown option '--fiel' (did you mean --file?)"],
    [['rank', '--current', '1.24'], "radar: required option '--target <version>' not specified"],
    [['nope'], "radar: unknown command 'nope'"],
  ])('%j is one line naming it, exit 2', async (args, line) => {
    const res = await runRadar(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`${line}\n`);
    expect(res.stdout).toBe('');
  });
});

describe('radar while radar serve holds the data directory', () => {
  it('says so in one line naming the holder and what to do, instead of a lock stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-busy-cli-'));
    const serve = startProcess('services/cli/src/main.ts', { HTTP_HOST: '127.0.0.1' }, [
      'serve',
      '--no-scheduler',
      '--port',
      '0',
      '--data-dir',
      dir,
    ]);
    try {
      await serve.port;
      const res = await runRadar(['query', '--sql', 'SELECT 1', '--data-dir', dir]);
      expect(res.code).toBe(1);
      expect(res.stderr.trim().split('\n')).toEqual([
        expect.stringContaining(
          `the embedded store ${dir} is in use by another process (pid ${serve.child.pid})`,
        ),
      ]);
      expect(res.stderr).toContain('CLICKHOUSE_URL');
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});
