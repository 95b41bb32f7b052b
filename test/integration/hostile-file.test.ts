import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import { queryDataDir, runRadar, waitFor } from '../support/processes.js';
import { REPO_ROOT } from '../support/repo.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'radar-hostile-'));
const spools = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('radar-stdin-'));

/** `radar ingest` with its own TMPDIR, so its stdin spool can be looked for. */
async function ingest(file: string, dataDir: string, stdin?: Buffer, tmpDir = tmp()) {
  const r = await runRadar(['ingest', '--file', file, '--data-dir', dataDir], { TMPDIR: tmpDir }, stdin);
  return { ...r, tmpDir, summary: r.stdout ? JSON.parse(r.stdout) : undefined };
}

const lines = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify(auditEvent({ auditID: `req-${from + i}` }, from + i)));

describe('radar ingest of hostile files', () => {
  it('refuses a directory and a device with one line, exit 2, nothing written', async () => {
    const dir = tmp();
    const dataDir = join(dir, 'data');
    for (const [file, why] of [
      [dir, 'is a directory'],
      ['/dev/zero', 'is a device'],
    ] as const) {
      const r = await ingest(file, dataDir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(`radar: --file ${file}: ${why}, not an audit log file\n`);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a NUL stream on stdin at once and leaves no spool behind', async () => {
    const dataDir = join(tmp(), 'data');
    const r = await ingest('-', dataDir, Buffer.alloc(16 * 1024 * 1024));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('radar: --file -: standard input is binary (NUL at byte 0), not an audit log\n');
    expect(spools(r.tmpDir)).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('ends a sparse file (one line of NULs) with a clear error, reading nothing into memory', async () => {
    const dir = tmp();
    const file = join(dir, 'sparse.log');
    writeFileSync(file, '');
    truncateSync(file, 256 * 1024 * 1024);
    const r = await ingest(file, dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.summary).toMatchObject({ eventsRead: 1, requestsStored: 0, rejected: { 'too-large': 1 } });
    expect(r.summary.error).toBe(
      `${file}: no audit event could be read, all 1 rejected (first: ${file}:1 too-large: 268435456 bytes > limit 4194304 (skipped unread))`,
    );
  });

  it('stores every event of a rotated JSON-lines file and a pretty EventList over 4 MiB, exactly', async () => {
    const dir = tmp();
    // A first line cut by log rotation, 300 events, a 5 MiB line, 200 events.
    const cut = lines(0, 1)[0]!.slice(400);
    const huge = JSON.stringify(
      auditEvent({ auditID: 'huge', requestObject: { pad: 'x'.repeat(5 << 20) } }, 9),
    );
    const rotated = join(dir, 'rotated.log');
    writeFileSync(rotated, `${[cut, ...lines(1, 300), huge, ...lines(301, 200)].join('\n')}\n`);
    const a = await ingest(rotated, dir);
    expect(a.code, a.stderr).toBe(0);
    expect(a.summary).toMatchObject({
      eventsRead: 502,
      requestsStored: 500,
      rejected: { 'invalid-json': 1, 'too-large': 1 },
    });
    const wheres = a.summary.rejectedSamples.map(
      (s: { where: string; reason: string }) => `${s.where} ${s.reason}`,
    );
    expect(wheres.sort()).toEqual([`${rotated}:1 invalid-json`, `${rotated}:302 too-large`]);

    const items = lines(1000, 5000).map((l) => JSON.parse(l));
    const pretty = join(dir, 'eventlist.json');
    writeFileSync(
      pretty,
      JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items }, null, 2),
    );
    const b = await ingest(pretty, dir);
    expect(b.code, b.stderr).toBe(0);
    expect(b.summary).toMatchObject({ eventsRead: 5000, requestsStored: 5000, rejected: {} });
    const [n] = await queryDataDir<{ n: number; ids: number }>(
      dir,
      'SELECT count() AS n, uniqExact(audit_id) AS ids FROM audit_events',
    );
    expect(n).toEqual({ n: 5500, ids: 5500 });
  });

  it('removes its stdin spool when killed with SIGTERM while spooling', async () => {
    const tmpDir = tmp();
    mkdirSync(join(tmpDir, 'data'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'services/cli/src/main.ts'),
        'ingest',
        '--file',
        '-',
        '--data-dir',
        join(tmpDir, 'data'),
      ],
      { cwd: REPO_ROOT, env: { ...process.env, TMPDIR: tmpDir }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, s) => resolve(s)));
    child.stdin.write(`${lines(0, 100).join('\n')}\n`);
    await waitFor(
      'the spool',
      async () => spools(tmpDir).length === 1 && readdirSync(join(tmpDir, spools(tmpDir)[0]!)).length === 1,
    );
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(spools(tmpDir)).toEqual([]);
  });
});
