// pnpm data:check [--shared <dir>] [--write]
// Regenerates every committed file derived from the reference data (default: ../shared beside the
// repository) and fails, listing each difference, when one is missing, differs or is stray. Then runs
// the generators' own checks (catalog, field-path maps) against the upstream documents.
// --write updates the committed copies instead (the generators are still only checked).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../support/repo.js';
import { deriveAll, encode, MANAGED_DIRS, readCommitted } from './derive.js';

const { values } = parseArgs({
  options: { shared: { type: 'string' }, write: { type: 'boolean', default: false } },
});
const shared = resolve(values.shared ?? join(REPO_ROOT, '../shared'));

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [relative(REPO_ROOT, p)];
  });
}

const problems: string[] = [];
let derived: ReturnType<typeof deriveAll>;
try {
  derived = deriveAll(shared);
} catch (err) {
  process.stderr.write(`data:check: ${(err as Error).message}\n`);
  process.exit(1);
}
const produced = new Set(derived.map((f) => f.path));
for (const f of derived) {
  const committed = readCommitted(REPO_ROOT, f.path);
  if (committed?.equals(f.content)) continue;
  if (values.write) {
    mkdirSync(dirname(join(REPO_ROOT, f.path)), { recursive: true });
    writeFileSync(join(REPO_ROOT, f.path), encode(f));
    process.stdout.write(`wrote ${f.path}\n`);
  } else {
    problems.push(`${f.path}: ${committed ? 'differs from' : 'missing, derived from'} ${f.from}`);
  }
}
// Anything else in a managed directory is stale (testdata/PROVENANCE.md is written by hand).
for (const p of MANAGED_DIRS.flatMap((d) => walk(join(REPO_ROOT, d)))) {
  if (!produced.has(p)) problems.push(`${p}: derived from nothing in ${shared}`);
}

// A derived file git would not commit (an ignore pattern such as *.log) is missing from every clone.
try {
  const ignored = execFileSync('git', ['check-ignore', '--stdin'], {
    cwd: REPO_ROOT,
    input: [...produced].join('\n'),
  }).toString();
  for (const p of ignored.split('\n').filter(Boolean))
    problems.push(`${p}: ignored by .gitignore, so never committed`);
} catch (err) {
  // Exit code 1 means nothing is ignored; anything else (no git, not a repository) is reported.
  if ((err as { status?: number }).status !== 1) problems.push(`git check-ignore: ${(err as Error).message}`);
}

const specs = join(shared, 'data/openapi');
for (const script of [
  'packages/catalog/scripts/generate.ts',
  'packages/field-paths/scripts/generate-maps.ts',
]) {
  try {
    execFileSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [script, '--specs', specs, '--check'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    const said = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`.trim();
    problems.push(`${script} --check against ${specs}: ${said || (err as Error).message}`);
  }
}

if (problems.length > 0) {
  process.stderr.write(
    `data:check: ${problems.length} difference(s) from ${shared}` +
      ` (run: pnpm data:check --write, or the named generator):\n  ${problems.join('\n  ')}\n`,
  );
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ shared, files: derived.length, upToDate: true })}\n`);
