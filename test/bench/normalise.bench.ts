/**
 * pnpm bench:normalise — what normalising values before encoding costs on the hot path
 * (issue 15): processBatch on the bench events (test/support/events.ts, ~1.2 KB Metadata-level),
 * today's code against the code of BENCH_BEFORE (a git ref, default the commit before the
 * normalisation), both loaded in this process and timed alternately in the same run. The
 * sources of both are copied (from git, and from the working tree) into
 * packages/audit-events/node_modules/.bench-{before,after} (ignored, removed at the end), with
 * their @radar imports pointed at each other, so both load and compile the same way (loaded
 * through the workspace instead, the same code measured 13% slower than its copy).
 * Prints one JSON line. Env: BENCH_EVENTS (default 200,000), BENCH_ROUNDS (6), BENCH_BEFORE.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseUserAgent } from '@radar/client-identity';
import type * as ingest from '@radar/ingest';
import { auditEvent } from '../support/events.js';
import { REPO_ROOT } from '../support/repo.js';

const N = Number(process.env.BENCH_EVENTS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const BEFORE = process.env.BENCH_BEFORE ?? 'e429790';
const BATCH = 2_000;

type ProcessBatch = typeof ingest.processBatch;

/**
 * The pipeline of `ref` (a git ref, or the working tree when undefined): audit-events, tagger and
 * the two ingest files it needs, copied side by side so both variants load the same way.
 */
async function loadPipeline(
  name: string,
  ref?: string,
): Promise<{ processBatch: ProcessBatch; dir: string }> {
  const dir = join(REPO_ROOT, `packages/audit-events/node_modules/.bench-${name}`);
  rmSync(dir, { recursive: true, force: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const listed = ref
    ? git('ls-tree', '--name-only', ref, 'packages/audit-events/src/', 'packages/tagger/src/').split('\n')
    : ['audit-events', 'tagger'].flatMap((p) =>
        readdirSync(join(REPO_ROOT, 'packages', p, 'src')).map((f) => `packages/${p}/src/${f}`),
      );
  const files = listed.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  files.push('packages/ingest/src/pipeline.ts', 'packages/ingest/src/encoded.ts');
  for (const f of files) {
    const pkg = f.split('/')[1]!;
    mkdirSync(join(dir, pkg), { recursive: true });
    const src = (ref ? git('show', `${ref}:${f}`) : readFileSync(join(REPO_ROOT, f), 'utf8'))
      .replaceAll("'@radar/audit-events'", "'../audit-events/index.js'")
      .replaceAll("'@radar/tagger'", "'../tagger/index.js'");
    writeFileSync(join(dir, pkg, f.split('/').pop()!), src);
  }
  const mod = (await import(pathToFileURL(join(dir, 'ingest/pipeline.ts')).href)) as {
    processBatch: ProcessBatch;
  };
  return { processBatch: mod.processBatch, dir };
}

function batches(): ingest.InputMessage[][] {
  const out: ingest.InputMessage[][] = [];
  for (let i = 0; i < N; i += BATCH) {
    const b: ingest.InputMessage[] = [];
    for (let k = i; k < Math.min(N, i + BATCH); k++) {
      b.push({
        value: Buffer.from(JSON.stringify(auditEvent({ auditID: `bench-${k}` }, k))),
        partition: 0,
        offset: k,
      });
    }
    out.push(b);
  }
  return out;
}

function rate(run: ProcessBatch, input: ingest.InputMessage[][]): number {
  const cfg = { tagger: { cluster: 'bench', source: 'bench' }, decode: { maxBytes: 1 << 20 } };
  const deps = { parseUserAgent };
  let rows = 0;
  const t0 = performance.now();
  for (const b of input) rows += run(b, cfg, deps).rows.ends.length;
  const secs = (performance.now() - t0) / 1000;
  const events = input.reduce((n, b) => n + b.length, 0);
  if (rows !== events) throw new Error(`expected ${events} rows, got ${rows}`);
  return events / secs;
}

function jsonParseRate(input: ingest.InputMessage[][]): number {
  let keep = 0;
  const t0 = performance.now();
  for (const b of input)
    for (const m of b) keep += (JSON.parse(String(m.value)) as { stage: string }).stage.length;
  if (keep === 0) throw new Error('unreachable');
  return N / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const input = batches();
const before = await loadPipeline('before', BEFORE);
const after = await loadPipeline('after');
try {
  const b: number[] = [];
  const a: number[] = [];
  rate(before.processBatch, input.slice(0, 5)); // warm both up
  rate(after.processBatch, input.slice(0, 5));
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Paired rounds in alternating order (ABBA...), so drift and GC debt on a shared machine
    // hit both alike; the figure is the median of the per-round ratios.
    const first = r % 2 === 0 ? 'before' : 'after';
    const x = rate((first === 'before' ? before : after).processBatch, input);
    const y = rate((first === 'before' ? after : before).processBatch, input);
    const [rb, ra] = first === 'before' ? [x, y] : [y, x];
    b.push(rb);
    a.push(ra);
    ratios.push(ra / rb);
  }
  const json = jsonParseRate(input);
  console.log(
    JSON.stringify({
      bench: 'normalise',
      node: process.version,
      events: N,
      rounds: ROUNDS,
      before: BEFORE,
      beforeEventsPerSec: Math.round(median(b)),
      afterEventsPerSec: Math.round(median(a)),
      afterOverBefore: Number(median(ratios).toFixed(3)),
      ratios: ratios.map((x) => Number(x.toFixed(3))),
      jsonParseEventsPerSec: Math.round(json),
      afterOverJsonParse: Number((median(a) / json).toFixed(3)),
    }),
  );
} finally {
  rmSync(before.dir, { recursive: true, force: true });
  rmSync(after.dir, { recursive: true, force: true });
}
