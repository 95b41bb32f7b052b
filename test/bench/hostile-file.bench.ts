/**
 * pnpm bench:hostile-file — `radar ingest` of inputs that used to hang or blow up memory:
 * a sparse file that is one line of NULs (BENCH_SPARSE_MB, default 2048) and a JSON-lines file
 * whose first line was cut by log rotation (BENCH_LINES_MB, default 500), and a pretty-printed
 * EventList whose middle item holds one huge string (BENCH_STRING_MB, default 400). Wall time and peak
 * RSS (GNU time's maximum resident set) of the real CLI on a fresh embedded store; the baseline,
 * reading the same file with `cat`, is measured in the same run. Prints one JSON line.
 * Targets: each under a minute and under 500 MB RSS.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditEvent } from '../support/events.js';
import { REPO_ROOT } from '../support/repo.js';

const SPARSE_MB = Number(process.env.BENCH_SPARSE_MB ?? 2048);
const LINES_MB = Number(process.env.BENCH_LINES_MB ?? 500);
const STRING_MB = Number(process.env.BENCH_STRING_MB ?? 400);
const dir = mkdtempSync(join(tmpdir(), 'radar-bench-hostile-'));

interface Run {
  code: number | null;
  wallS: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
}

function timed(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', cmd, ...args], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.length < 1 << 20 ? b.toString() : ''));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const kb = Number(/MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
      resolve({ code, wallS: (performance.now() - t0) / 1000, peakRssMb: kb / 1024, stdout, stderr });
    });
  });
}

async function radarIngest(file: string) {
  const dataDir = mkdtempSync(join(dir, 'data-'));
  const r = await timed(process.execPath, [
    '--import',
    'tsx',
    join(REPO_ROOT, 'services/cli/src/main.ts'),
    'ingest',
    '--file',
    file,
    '--data-dir',
    dataDir,
  ]);
  const s = r.stdout ? JSON.parse(r.stdout) : {};
  const baseline = await timed('sh', ['-c', 'cat "$0" > /dev/null', file]);
  return {
    bytes: statSync(file).size,
    exitCode: r.code,
    wallS: round(r.wallS),
    peakRssMb: round(r.peakRssMb),
    eventsRead: s.eventsRead,
    requestsStored: s.requestsStored,
    rejected: s.rejected,
    error: s.error,
    catWallS: round(baseline.wallS),
    withinTargets: r.wallS < 60 && r.peakRssMb < 500,
  };
}

async function rotatedLines(file: string, mb: number): Promise<number> {
  const out = createWriteStream(file);
  const first = JSON.stringify(auditEvent({ auditID: 'cut' }, 0)).slice(500);
  out.write(`${first}\n`);
  let bytes = first.length + 1;
  let i = 0;
  while (bytes < mb * 1024 * 1024) {
    const line = `${JSON.stringify(auditEvent({ auditID: `bench-${i}` }, i))}\n`;
    bytes += line.length;
    i++;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return i;
}

/** `{"kind":"EventList","items":[ev, {"auditID":"big","annotations":{"x":"yyyy..."}}, ev]}`, indented. */
async function prettyWithHugeString(file: string, mb: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string | Buffer) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(`{\n  "kind": "EventList",\n  "items": [\n${JSON.stringify(auditEvent({}, 1), null, 2)},\n`);
  await write('    {"auditID": "big", "annotations": {"x": "');
  const mib = Buffer.alloc(1024 * 1024, 0x79);
  for (let i = 0; i < mb; i++) await write(mib);
  await write(`"}},\n${JSON.stringify(auditEvent({}, 2), null, 2)}\n  ]\n}\n`);
  await new Promise<void>((r) => out.end(() => r()));
}

const round = (x: number) => Math.round(x * 100) / 100;

try {
  // The floor: the CLI and the embedded engine with one event, whatever the input.
  const tiny = join(dir, 'one.log');
  writeFileSync(tiny, `${JSON.stringify(auditEvent({}, 1))}\n`);
  const oneEvent = await radarIngest(tiny);
  const sparse = join(dir, 'sparse.log');
  writeFileSync(sparse, '');
  truncateSync(sparse, SPARSE_MB * 1024 * 1024);
  const sparseResult = await radarIngest(sparse);
  rmSync(sparse);
  const lines = join(dir, 'rotated.log');
  const events = await rotatedLines(lines, LINES_MB);
  const linesResult = { eventsWritten: events, ...(await radarIngest(lines)) };
  rmSync(lines);
  const pretty = join(dir, 'pretty.json');
  await prettyWithHugeString(pretty, STRING_MB);
  const prettyResult = await radarIngest(pretty);
  console.log(
    JSON.stringify({
      bench: 'hostile-file',
      node: process.version,
      oneEvent,
      sparseSingleLine: sparseResult,
      rotatedJsonLines: linesResult,
      prettyHugeString: prettyResult,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
