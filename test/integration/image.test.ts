import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/processes.js';
import { REPO_ROOT } from '../support/repo.js';

const exec = promisify(execFile);

// No Docker engine here: the image cannot be built, so this runs what its last stage holds (the
// folder deploy/image/assemble.sh makes with `pnpm deploy --prod`) the way its ENTRYPOINT does.
const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const instruction = (name: string) =>
  dockerfile
    .split('\n')
    .filter((l) => l.startsWith(`${name} `))
    .map((l) => l.slice(name.length + 1).trim());
const entrypoint: string[] = JSON.parse(instruction('ENTRYPOINT').at(-1) ?? '[]');

let root: string;
let app: string;

/** Runs the image's entrypoint (`node /app/radar.mjs` with /app = the assembled folder). */
function radar(args: string[], env: Record<string, string> = {}) {
  const [cmd, script] = entrypoint;
  return exec(
    cmd === 'node' ? process.execPath : String(cmd),
    [String(script).replace(/^\/app/, app), ...args],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: root, ...env },
    },
  ).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'radar-image-'));
  app = join(root, 'app');
  await exec('bash', ['deploy/image/assemble.sh', app], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Dockerfile', () => {
  it('runs the assembled folder as a non-root user, with a health check and one entrypoint', () => {
    expect(entrypoint).toEqual(['node', '/app/radar.mjs']);
    expect(dockerfile).toContain('RUN bash deploy/image/assemble.sh /app');
    expect(dockerfile).toContain('COPY --from=build --chown=0:0 /app /app');
    const user = instruction('USER').at(-1) ?? '';
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(dockerfile).toMatch(/HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "\/app\/healthcheck\.mjs"\]/);
    expect(dockerfile.match(/^FROM /gm)?.length).toBe(2);
  });
});

describe('the image entrypoint from a clean pnpm deploy --prod folder', () => {
  it('holds production dependencies only, and no workspace links', () => {
    const store = readdirSync(join(app, 'node_modules/.pnpm'));
    for (const dev of ['vitest@', 'typescript@', '@biomejs+biome@', 'playwright-core@'])
      expect(
        store.filter((d) => d.startsWith(dev)),
        dev,
      ).toEqual([]);
    expect(store.some((d) => d.startsWith('@radar+cli@'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/.pnpm/node_modules/@radar/store/package.json'))).toBe(true);
  });

  it('prints the help listing every long-running command', async () => {
    const r = await radar(['--help']);
    expect(r.code, r.stderr).toBe(0);
    for (const cmd of ['serve', 'webhook', 'worker', 'scheduler', 'migrate', 'ingest'])
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
  });

  it('runs the embedded engine and the named queries (files outside the TypeScript)', async () => {
    const dataDir = join(root, 'data');
    const q = await radar([
      'query',
      '--data-dir',
      dataDir,
      '--format',
      'json',
      '--sql',
      'SELECT 41 + 1 AS n',
    ]);
    expect(q.code, q.stderr).toBe(0);
    expect(JSON.parse(q.stdout)).toEqual([{ n: 42 }]);
    // rank reads queries/*.sql: an empty store must say so, not fail to find a file.
    const r = await radar([
      'rank',
      '--data-dir',
      dataDir,
      '--current',
      '1.24',
      '--target',
      '1.25',
      '--since',
      '7d',
    ]);
    expect(r.stderr).toMatch(/empty window: no audit events/);
    expect(r.stderr).not.toMatch(/ENOENT/);
  });

  it('answers the HEALTHCHECK while a service runs, and fails it when none listens', async () => {
    const port = await freePort();
    const env = { PATH: process.env.PATH ?? '', HOME: root, HTTP_PORT: String(port), LOG_LEVEL: 'warn' };
    const serve: ChildProcess = spawn(
      process.execPath,
      [join(app, 'radar.mjs'), 'serve', '--no-scheduler', '--data-dir', join(root, 'serve-data')],
      { cwd: root, env, stdio: 'ignore' },
    );
    const check = () =>
      exec(process.execPath, [join(app, 'healthcheck.mjs')], { env }).then(
        () => 0,
        (e: { code: number }) => e.code,
      );
    try {
      await waitFor('radar serve /healthz', async () => (await check()) === 0, 60_000);
    } finally {
      serve.kill('SIGTERM');
      await new Promise((r) => serve.once('exit', r));
    }
    expect(await check()).toBe(1);
  });
});
