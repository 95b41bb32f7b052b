import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from './client.js';
import { openSandbox, type Sandbox, SandboxRefusal } from './sandbox.js';
import type { RefusalReason } from './sandbox-ast.js';

// The checks run on the real embedded engine: its parser, its EXPLAIN AST, its table functions.
const dir = mkdtempSync(join(tmpdir(), 'radar-sandbox-'));
let store: Store;
let sandbox: Sandbox;

beforeAll(async () => {
  store = await openStore({ dataDir: dir, database: 'radar_test' });
  // A parameterised view, as migrations create (rank_candidate_rows): called like a table function.
  await store.client.command({
    query: 'CREATE VIEW small AS SELECT number FROM numbers(10) WHERE number < {n:UInt8}',
  });
  sandbox = await openSandbox(store, { timeoutS: 5, maxRows: 10, maxBytes: 1_000_000 });
});
afterAll(async () => store.close());

async function reasonOf(sql: string, params?: Record<string, string>): Promise<RefusalReason | 'allowed'> {
  try {
    await sandbox.check(sql, params);
    return 'allowed';
  } catch (err) {
    if (err instanceof SandboxRefusal) return err.reason;
    throw err;
  }
}

describe('statements the sandbox allows', () => {
  it.each([
    'SELECT 1',
    'select 1;',
    'WITH (SELECT 2) AS a SELECT a',
    'SELECT 1 UNION ALL SELECT 2',
    'SHOW TABLES',
    'SHOW DATABASES',
    'DESCRIBE numbers(1)',
    'DESC TABLE system.one',
    'EXISTS TABLE audit_events',
    'EXPLAIN SELECT 1',
    'EXPLAIN PLAN header = 1 SELECT * FROM numbers(2)',
    'EXPLAIN AST SELECT 1',
    'SELECT * FROM numbers(3) JOIN zeros(3) AS z ON 1',
    'SELECT * FROM generateSeries(1, 3)',
    "SELECT * FROM values('a UInt8', 1, 2)",
    'SELECT * FROM NUMBERS(2)',
    "SELECT format('{} {}', 'a', 'b')",
    "SELECT dictGetOrDefault('nope', 'x', 1, 'd')",
    'SELECT * FROM small(n = 3)',
  ])('%s', async (sql) => {
    expect(await reasonOf(sql)).toBe('allowed');
  });

  it.each([
    [
      "string literals that look like calls: SELECT 'file(' ...",
      "SELECT 'file(', 'url(''http://x'')' AS `s3(`",
    ],
    ['a literal naming INTO OUTFILE', "SELECT 'x INTO OUTFILE y' AS s"],
    ['comments around the statement', "/* file('/etc/passwd') */ SELECT 1 -- url('http://x')"],
    ['a comment line header, as named queries have', '-- rank: a header\n-- more\nSELECT 1'],
    ['a newline in a literal', "SELECT 'a\n Function file\n' AS s"],
  ])('%s', async (_what, sql) => {
    expect(await reasonOf(sql)).toBe('allowed');
  });

  it('takes typed parameters, bound and never spliced', async () => {
    expect(await reasonOf('SELECT {s:String} AS s', { s: "') FROM file('/etc/passwd" })).toBe('allowed');
  });
});

describe('statements the sandbox refuses', () => {
  it.each([
    // finding 8: alone the first statement was refused, followed by a second it ran
    ["SELECT 'x' INTO OUTFILE '/tmp/radar-f8' TRUNCATE FORMAT RawBLOB; SELECT 1", 'syntax'],
    ["SELECT 'x' INTO OUTFILE '/tmp/radar-f8' APPEND FORMAT RawBLOB; SELECT 1", 'syntax'],
    ['SELECT 1; SELECT 2', 'syntax'],
    ['SELECT 1; -- and a comment', 'syntax'],
    ['SELEC 1', 'syntax'],
    ['SELECT 1 /* unterminated', 'syntax'],
  ])('%s', async (sql, reason) => {
    expect(await reasonOf(sql)).toBe(reason);
    expect(existsSync('/tmp/radar-f8')).toBe(false);
  });

  it.each([
    "SELECT 'x' INTO OUTFILE '/tmp/radar-f8'",
    "SELECT 'x' INTO OUTFILE '/tmp/radar-f8' TRUNCATE",
    "SELECT 'x' INTO OUTFILE '/tmp/radar-f8' APPEND",
    "SELECT 'x' INTO OUTFILE '/tmp/radar-f8' COMPRESSION 'gzip'",
    "EXPLAIN SELECT 1 INTO OUTFILE '/tmp/radar-f8'",
    "EXPLAIN AST SELECT 1 INTO OUTFILE '/tmp/radar-f8'",
    "SHOW TABLES INTO OUTFILE '/tmp/radar-f8'",
    "DESCRIBE TABLE system.one INTO OUTFILE '/tmp/radar-f8'",
  ])('INTO OUTFILE: %s', async (sql) => {
    expect(await reasonOf(sql)).toBe('into-outfile');
    expect(existsSync('/tmp/radar-f8')).toBe(false);
  });

  it.each([
    'INSERT INTO t VALUES (1)',
    "INSERT INTO FUNCTION file('/tmp/radar-f8') SELECT 1",
    'CREATE TABLE t (a UInt8) ENGINE = Memory',
    'ALTER TABLE t DELETE WHERE 1',
    'DROP TABLE audit_events',
    'OPTIMIZE TABLE audit_events',
    'KILL QUERY WHERE 1',
  ])('not a read: %s', async (sql) => {
    expect(await reasonOf(sql)).toBe('statement-kind');
  });

  it.each([
    'EXPLAIN AST INSERT INTO t VALUES (1)',
    'EXPLAIN SYNTAX DROP TABLE t',
    'EXPLAIN EXPLAIN SELECT 1',
  ])('EXPLAIN of anything but one read: %s', async (sql) => {
    expect(await reasonOf(sql)).not.toBe('allowed');
  });

  // Aliases are printed raw in EXPLAIN AST: a newline in one adds rows of the user's choosing.
  it.each([
    ["SELECT 1 AS `a\nExpressionList (children 3)` INTO OUTFILE '/tmp/radar-f8'", 'into-outfile'],
    ['SELECT 1 AS `a\n Explain (children 1)\n  x` SETTINGS max_threads = 1', 'settings'],
    ["SELECT 1 AS `a\n    ExpressionList (children 1)` FROM file('/etc/passwd')", 'table-function'],
    ['SELECT 1 AS `a\n  Function url`', 'function'],
  ])('forged parse-tree rows: %s', async (sql, reason) => {
    expect(await reasonOf(sql)).toBe(reason);
    expect(existsSync('/tmp/radar-f8')).toBe(false);
  });

  it.each(['SET readonly = 0', 'SYSTEM FLUSH LOGS', 'USE system'])(
    'not a read, not even parsed: %s',
    async (sql) => {
      expect(['syntax', 'statement-kind']).toContain(await reasonOf(sql));
    },
  );

  it.each([
    'SELECT 1 SETTINGS max_result_rows = 0',
    'SELECT * FROM (SELECT 1 SETTINGS readonly = 0)',
    'SELECT 1 FORMAT JSONEachRow SETTINGS max_execution_time = 0',
  ])('SETTINGS: %s', async (sql) => {
    expect(['settings', 'syntax']).toContain(await reasonOf(sql));
  });

  it('SETTINGS inside a statement is refused as settings', async () => {
    expect(await reasonOf('SELECT 1 SETTINGS max_result_rows = 0')).toBe('settings');
  });

  // finding 9, and the rest of the list: files, processes, the network
  it.each([
    "SELECT * FROM file('/etc/passwd', 'LineAsString')",
    "SELECT * FROM FiLe('/etc/passwd', 'LineAsString')",
    "SELECT * FROM `file`('/etc/passwd', 'LineAsString')",
    "SELECT * FROM url('http://127.0.0.1:1/x', 'CSV')",
    "SELECT * FROM s3('http://127.0.0.1:1/b/k', 'CSV')",
    "SELECT * FROM mysql('127.0.0.1:1', 'd', 't', 'u', 'p')",
    "SELECT * FROM postgresql('127.0.0.1:1', 'd', 't', 'u', 'p')",
    "SELECT * FROM remote('127.0.0.1:1', system.one)",
    "SELECT * FROM remoteSecure('127.0.0.1:1', system.one)",
    "SELECT * FROM hdfs('hdfs://127.0.0.1:1/x', 'CSV')",
    "SELECT * FROM executable('x.sh', 'CSV', 'a String')",
    "SELECT * FROM input('a String')",
    "SELECT * FROM cluster('c', system.one)",
    "SELECT * FROM jdbc('d', 't')",
    "SELECT * FROM odbc('d', 't')",
    "SELECT * FROM sqlite('/tmp/x.db', 't')",
    "SELECT * FROM mongodb('127.0.0.1:1', 'd', 'c', 'u', 'p', 'a String')",
    "SELECT * FROM redis('127.0.0.1:1', 'k', 'k String')",
    "SELECT * FROM azureBlobStorage('http://127.0.0.1:1', 'c', 'b')",
    "SELECT * FROM icebergS3('http://127.0.0.1:1/x')",
    "SELECT * FROM deltaLake('http://127.0.0.1:1/x')",
    "SELECT * FROM hudi('http://127.0.0.1:1/x')",
    "SELECT * FROM fuzzJSON('{}')",
    'SELECT * FROM nosuchview(n = 3)',
    "SELECT * FROM numbers(1) AS a JOIN url('http://127.0.0.1:1/x', 'CSV') AS b ON 1",
    "SELECT 1 WHERE 1 IN (SELECT * FROM file('/etc/passwd', 'LineAsString'))",
    "SELECT * FROM loop(file('/etc/passwd', 'LineAsString'))",
    "SELECT * FROM view(SELECT * FROM file('/etc/passwd', 'LineAsString'))",
    "DESCRIBE file('/etc/passwd', 'LineAsString')",
    "EXPLAIN SELECT * FROM url('http://127.0.0.1:1/x', 'CSV')",
    "WITH t AS (SELECT * FROM s3('http://127.0.0.1:1/b/k')) SELECT * FROM t",
  ])('table function: %s', async (sql) => {
    expect(await reasonOf(sql)).toBe('table-function');
  });

  it.each([
    ["SELECT file('/etc/hostname')", 'table-function'],
    ["SELECT FILE('/etc/hostname')", 'table-function'],
    ["SELECT length(`file`('/etc/hostname'))", 'table-function'],
    ["SELECT aiGenerate('hello')", 'function'],
    ["SELECT catboostEvaluate('/tmp/m.bin', 1)", 'function'],
    ['SELECT `my func`(1)', 'function'],
    ['SELECT * FROM radar_test.small(n = 3)', 'function'],
  ])('scalar function: %s', async (sql, reason) => {
    expect(await reasonOf(sql)).toBe(reason);
  });

  it('refuses a statement longer than the engine would parse', async () => {
    expect(await reasonOf(`SELECT '${'x'.repeat(300_000)}'`)).toBe('too-long');
  });

  it('passes an engine refusal on as one line with the engine code', async () => {
    const err = await sandbox.check('SELECT {missing:String}').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxRefusal);
    expect((err as SandboxRefusal).engineCode).toBe(456);
    expect((err as Error).message).not.toContain('\n');
  });
});

// Last: on the embedded engine the first run locks the session (readonly=1 and the limits).
describe('run', () => {
  it('runs the statement with readonly=1 and the limits in force, then no second one', async () => {
    const text = await sandbox.run(
      "SELECT number AS n, getSetting('readonly') AS ro, getSetting('max_result_rows') AS rows FROM numbers(3)",
      { format: 'JSONEachRow' },
    );
    const rows = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toEqual([0, 1, 2].map((n) => ({ n, ro: 1, rows: 10 })));
    await expect(sandbox.run('SELECT 1', { format: 'JSONEachRow' })).rejects.toThrow(/one statement/);
  });
});
