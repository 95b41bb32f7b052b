// Times diffSpecs on two full upstream specs and prints JSON (a script, not a timed test).
//   pnpm exec tsx packages/catalog/scripts/bench-diff.ts [--from <file>] [--to <file>] [--runs N]
// Reports medians over the runs, and the ratio to a plain JSON.parse of the same two documents
// measured in the same run (these machines are noisy; the ratio is what carries over).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { diffSpecs, readSpecFile } from '../src/index.js';
import { upstreamOrCommittedSpecPath } from '../src/testing.js';

const { values } = parseArgs({
  options: { from: { type: 'string' }, to: { type: 'string' }, runs: { type: 'string', default: '5' } },
});
const from = values.from ?? upstreamOrCommittedSpecPath('1.35');
const to = values.to ?? upstreamOrCommittedSpecPath('1.36');
const runs = Number(values.runs);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async <T>(fn: () => T | Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const out = await fn();
  return [performance.now() - t0, out];
};

const texts = [from, to].map((f) => gunzipSync(readFileSync(f)).toString('utf8'));
const parse: number[] = [];
const read: number[] = [];
const diff: number[] = [];
let changes = 0;
for (let i = 0; i < runs; i++) {
  parse.push((await time(() => texts.map((t) => JSON.parse(t))))[0]);
  const [r, docs] = await time(() => Promise.all([readSpecFile(from), readSpecFile(to)]));
  read.push(r);
  const [d, out] = await time(() => diffSpecs(docs[0], docs[1], { since: '1.36' }));
  diff.push(d);
  changes = out.length;
}
const result = {
  from,
  to,
  runs,
  bytes: texts.map((t) => t.length),
  changes,
  jsonParseMs: Math.round(median(parse)),
  readMs: Math.round(median(read)),
  diffMs: Math.round(median(diff)),
  totalMs: Math.round(median(read) + median(diff)),
  diffToParseRatio: Number((median(diff) / median(parse)).toFixed(2)),
  underTwoSeconds: median(read) + median(diff) < 2000,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
