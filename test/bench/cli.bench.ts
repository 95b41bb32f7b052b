/**
 * pnpm bench:cli — start-up cost of the built `radar` command (what the installed bin and
 * `pnpm radar` run: node --conditions=radar-dist services/cli/dist/main.js), each measured against
 * bare `node -e 0` in the same run, alternating, BENCH_RUNS times (default 15). Prints one JSON
 * line: median and p90 wall milliseconds per command, and the median above bare node.
 *
 * Targets (issue 13): --help <= 150 ms above node, `catalog show` <= 400 ms, a query on an
 * embedded store <= 1 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, radarArgs } from '../support/repo.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const dataDir = mkdtempSync(join(tmpdir(), 'radar-bench-cli-'));

const build = spawnSync(process.execPath, ['infra/build/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
if (build.status !== 0) throw new Error('pnpm build failed');

const cases: Record<string, string[]> = {
  node: ['-e', '0'],
  help: radarArgs(['--help']),
  catalogShow: radarArgs(['catalog', 'show', '--current', '1.16', '--target', '1.18', '--format', 'json']),
  query: radarArgs(['query', '--sql', 'SELECT 1', '--format', 'json', '--data-dir', dataDir]),
};

function once(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

// The first query migrates the new store; measure queries on a migrated one, as users run them.
once(cases.query!);
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++)
  for (const [name, args] of Object.entries(cases)) times[name]!.push(once(args));
rmSync(dataDir, { recursive: true, force: true });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]!);
};
const node = pct(times.node!, 0.5);
const result = Object.fromEntries(
  Object.entries(times).map(([k, xs]) => [
    k,
    { medianMs: pct(xs, 0.5), p90Ms: pct(xs, 0.9), aboveNodeMs: pct(xs, 0.5) - node },
  ]),
);
process.stdout.write(
  `${JSON.stringify({ bench: 'cli', runs: RUNS, nodeVersion: process.version, ...result })}\n`,
);
