#!/usr/bin/env node
// `pnpm build`: every workspace package's src/ -> dist/, file for file, TypeScript stripped by
// esbuild (no bundling). File for file, so paths a module resolves next to itself
// (`new URL('../data/…', import.meta.url)`, migrations, queries/) mean the same from dist/ as
// from src/. Types are checked by `pnpm typecheck` (tsc), not here: esbuild only strips them, in
// well under a second for the whole workspace. Built code resolves the workspace's packages to
// their dist/ through the `radar-dist` export condition (`node --conditions=radar-dist`); without
// it, they resolve to src/ (tests, tsx, the editor), so a stale dist/ is never picked up by them.
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GROUPS = ['packages', 'services'];

/** Source files of one package: TypeScript modules to compile, other files (e.g. .mjs) to copy. */
function walk(dir, out = { ts: [], other: [] }) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) continue;
    else if (name.endsWith('.ts')) out.ts.push(p);
    else out.other.push(p);
  }
  return out;
}

/** `--if-stale`: skip the build when every dist/ is newer than everything in its src/ (pnpm radar). */
const ifStale = process.argv.includes('--if-stale');

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

function fresh(pkg) {
  const dist = join(pkg, 'dist');
  return existsSync(dist) && statSync(join(dist, '.built')).mtimeMs >= newest(join(pkg, 'src'));
}

const started = performance.now();
let files = 0;
for (const group of GROUPS) {
  for (const name of readdirSync(join(ROOT, group))) {
    const pkg = join(ROOT, group, name);
    const src = join(pkg, 'src');
    if (!existsSync(src)) continue;
    if (ifStale && existsSync(join(pkg, 'dist', '.built')) && fresh(pkg)) {
      continue;
    }
    const dist = join(pkg, 'dist');
    rmSync(dist, { recursive: true, force: true });
    const { ts, other } = walk(src);
    await build({
      entryPoints: ts,
      outbase: src,
      outdir: dist,
      bundle: false,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      sourcemap: 'linked',
      logLevel: 'warning',
    });
    for (const f of other) cpSync(f, join(dist, relative(src, f)));
    writeFileSync(join(dist, '.built'), '');
    files += ts.length;
  }
}
if (!ifStale || files > 0)
  process.stderr.write(`build: ${files} modules in ${Math.round(performance.now() - started)} ms\n`);
