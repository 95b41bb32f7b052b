import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import { REPO_ROOT } from '../support/repo.js';

// `radar query` as users run it, against an embedded store filled by `radar ingest` (issue 15,
// findings 8-10): the sandbox refuses, the engine limits hold, nothing raw reaches a terminal.
const dir = mkdtempSync(join(tmpdir(), 'radar-query-sandbox-'));
const dataDir = join(dir, 'data');
const EVIL_UA = 'evil\x1b]0;pwned\x07\x1b[2J kubectl/v1.25.0';

function radar(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CLICKHOUSE_DATABASE: 'radar' };
  delete env.CLICKHOUSE_URL;
  delete env.CLICKHOUSE_CLUSTER;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'services/cli/src/main.ts'), ...args, '--data-dir', dataDir],
      { cwd: REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
const query = (sql: string, ...more: string[]) => radar(['query', '--sql', sql, ...more]);

/** Refused: exit 2, one line on stderr without a stack, nothing on stdout. */
function expectRefused(r: { code: number; stdout: string; stderr: string }, what: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(what);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  const file = join(dir, 'audit.log');
  const time = new Date(Date.now() - 3_600_000);
  writeFileSync(file, `${JSON.stringify(auditEvent({ userAgent: EVIL_UA, verb: 'update', time }, 1))}\n`);
  const r = await radar(['ingest', '--file', file]);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).requestsStored).toBe(1);
});

describe('radar query sandbox', () => {
  it('finding 8: a second statement after INTO OUTFILE is refused, and no file is written', async () => {
    for (const mode of ['TRUNCATE', 'APPEND']) {
      const target = join(dir, `f8-${mode}`);
      const r = await query(`SELECT 'x' INTO OUTFILE '${target}' ${mode} FORMAT RawBLOB; SELECT 1`);
      expectRefused(r, /--sql: not exactly one valid statement/);
      expect(existsSync(target)).toBe(false);
      const alone = await query(`SELECT 'x' INTO OUTFILE '${target}' ${mode}`);
      expectRefused(alone, /INTO OUTFILE is not allowed/);
      expect(existsSync(target)).toBe(false);
    }
  });

  it('finding 9: no file is read and no network is reached, however the call is spelled', async () => {
    const passwd = await query("SELECT * FROM file('/etc/passwd', 'LineAsString')");
    expectRefused(passwd, /table function file\(\) is not allowed/);
    for (const sql of [
      "SELECT * FROM `FiLe`('/etc/passwd', 'LineAsString')",
      "SELECT file('/etc/passwd')",
      "SELECT * FROM url('http://127.0.0.1:1/x', 'CSV')",
      "SELECT * FROM s3('http://127.0.0.1:1/b/k', 'CSV')",
      "SELECT * FROM remote('127.0.0.1:1', system.one)",
    ]) {
      const r = await query(sql);
      expectRefused(r, /(file|url|s3|remote)\(\)/i);
      expect(r.stderr).not.toContain('root:');
    }
  });

  it('finding 10: engine refusals are one line and exit 2', async () => {
    expectRefused(await query('SELEC 1'), /SYNTAX_ERROR/);
    expectRefused(await query('SELECT * FROM no_such_table'), /UNKNOWN_TABLE/);
    expectRefused(await query('SELECT no_such_column FROM audit_events'), /UNKNOWN_IDENTIFIER/);
    expectRefused(
      await query('SELECT number FROM numbers(50)', '--max-rows', '10'),
      /TOO_MANY_ROWS_OR_BYTES/,
    );
    expectRefused(
      await query('SELECT toString(number) AS s FROM numbers(50000)', '--max-bytes', '1000'),
      /TOO_MANY_ROWS_OR_BYTES/,
    );
    expectRefused(
      await query('SELECT sleepEachRow(1) FROM numbers(3)', '--timeout', '1'),
      /TIMEOUT_EXCEEDED/,
    );
    expectRefused(
      await query("INSERT INTO audit_events (audit_id) VALUES ('x')"),
      /only read-only statements are allowed/,
    );
    expectRefused(await query('SELECT 1', '--max-rows', 'lots'), /--max-rows lots/);
  });

  it('runs every statement read-only under the limits it was given', async () => {
    const r = await query(
      "SELECT getSetting('readonly') AS ro, getSetting('max_execution_time') AS t, getSetting('max_result_rows') AS n",
      '--timeout',
      '7',
      '--max-rows',
      '123',
      '--format',
      'json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ ro: 1, t: 7, n: 123 }]);
  });

  it('finding 10: ESC and BEL of a stored user agent are escaped in table output, kept in JSON', async () => {
    const table = await query('SELECT user_agent FROM audit_events', '--format', 'table');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('evil\\x1b]0;pwned\\x07\\x1b[2J kubectl/v1.25.0');
    expect(table.stdout).not.toContain('\x1b');
    expect(table.stdout).not.toContain('\x07');
    const json = await query('SELECT user_agent FROM audit_events', '--format', 'json');
    expect(json.stdout).not.toContain('\x1b');
    expect(json.stdout).not.toContain('\x07');
    expect(JSON.parse(json.stdout)).toEqual([{ user_agent: EVIL_UA }]);
  });

  it('runs a named query with typed parameters, and names a missing one', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const r = await radar([
      'query',
      '--name',
      'rank_window_activity',
      '--param',
      `from=${from}`,
      '--param',
      `to=${to}`,
      '--param',
      'cluster=',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ rows: 1, clients: 1 }]);

    const missing = await radar(['query', '--name', 'rank_window_activity', '--param', `from=${from}`]);
    expectRefused(missing, /--name rank_window_activity: missing --param to, cluster/);
    const list = await radar(['query', '--list']);
    expect(list.stdout).toMatch(/^rank_window_activity\s+how much traffic the rollup holds/m);
  });
});
