import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { BASE_SETTINGS, openStore } from '@radar/store';
import { builtEntry, REPO_ROOT, radarArgs } from './repo.js';

export interface RadarProcess {
  child: ChildProcess;
  /** Ops/metrics port the process reported in its start log line. */
  port: Promise<number>;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Starts a real service process (its own chDB data dir) exactly as users do: the built entry point
 * (one node process, so a SIGKILL kills the process that holds the data dir) with the environment
 * as configuration. Logs are collected for failures.
 */
export function startProcess(entry: string, env: Record<string, string>, args: string[] = []): RadarProcess {
  const child = spawn(process.execPath, [...builtEntry(entry), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = new Promise<number>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /"(?:opsPort|port)":(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) =>
      reject(new Error(`${entry} exited (${code}) before it was ready:\n${out.slice(-3000)}`)),
    );
  });
  port.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, output: () => out, exited };
}

/** Reads one counter/gauge (summed over labels) from a process's /metrics. */
export async function metric(port: number, name: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await res.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(' ').pop());
  }
  return sum;
}

/** Polls until check() is true; fails with what it last saw. No fixed sleeps. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 120_000,
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${describe() ? `: ${describe()}` : ''}`);
}

/** Runs `radar <args>` to completion and returns stdout, stderr and the exit code. */
export function runRadar(
  args: string[],
  env: Record<string, string> = {},
  stdin?: string | Buffer,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, radarArgs(args), {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    // A command may refuse its input and exit before reading it all (EPIPE is not a test failure).
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

/**
 * Rows of a SQL statement against a data dir no other process holds (a stopped worker's),
 * opened in this test process and closed again (chDB allows one open data dir at a time).
 */
export async function queryDataDir<T = Record<string, unknown>>(dataDir: string, sql: string): Promise<T[]> {
  const store = await openStore({ dataDir, database: 'radar' });
  try {
    const rs = await store.client.query({
      query: sql,
      format: 'JSONEachRow',
      clickhouse_settings: BASE_SETTINGS,
    });
    return await rs.json<T>();
  } finally {
    await store.close();
  }
}

/**
 * `radar <args> --data-dir <dir>` on the embedded engine whatever the caller's environment says
 * (no CLICKHOUSE_URL or cluster), database `radar`: stdout, stderr and the exit code.
 */
export function radarOnDataDir(
  dir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.CLICKHOUSE_URL;
  delete env.CLICKHOUSE_CLUSTER;
  env.CLICKHOUSE_DATABASE = 'radar';
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      radarArgs([...args, '--data-dir', dir]),
      { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
