import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every workspace package with a src/: the built CLI and the image load each one's dist/. */
function packages(): string[] {
  return ['packages', 'services'].flatMap((g) =>
    readdirSync(join(ROOT, g))
      .map((n) => join(g, n))
      .filter((d) => existsSync(join(ROOT, d, 'src', 'index.ts'))),
  );
}

describe('workspace packages', () => {
  it.each(packages())('%s resolves to dist/ under the radar-dist condition, to src/ otherwise', (dir) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { exports: unknown };
    expect(pkg.exports).toEqual({ '.': { 'radar-dist': './dist/index.js', default: './src/index.ts' } });
  });
});
