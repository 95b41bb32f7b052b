import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseUserAgent } from './parse.js';

// 220 real user agents with the identity they must get (testdata/user-agents.corpus.SOURCES.md).
const TESTDATA = new URL('../testdata/', import.meta.url);
const [header, ...rows] = readFileSync(new URL('user-agents.corpus.tsv', TESTDATA), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => l.split('\t'));

interface Row {
  ua: string;
  source: string;
  name: string;
  version: string;
  kube: string;
}
const corpus: Row[] = rows.map(([ua, source, name, version, kube]) => ({
  ua: ua!,
  source: source!,
  name: name!,
  version: version!,
  kube: kube!,
}));

/** What the parser says, in the corpus's notation. */
function observed(ua: string): Pick<Row, 'name' | 'version' | 'kube'> {
  const r = parseUserAgent(ua);
  return {
    name: r.name,
    version: r.version ?? `none:${r.versionReason}`,
    kube: r.kubeVersion === null ? `unknown:${r.kubeReason}` : `1.${r.kubeMinor}`,
  };
}

describe('the real user-agent corpus', () => {
  it('is well formed: five columns, a source on every row, no duplicates, at least 200 strings', () => {
    expect(header).toEqual(['ua', 'source', 'name', 'version', 'kube']);
    expect(rows.every((r) => r.length === 5)).toBe(true);
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((r) => r.ua)).size).toBe(corpus.length);
    for (const r of corpus) {
      expect(r.source.trim(), r.ua).not.toBe('');
      expect(r.kube, r.ua).toMatch(/^(1\.\d{1,3}|unknown:[a-z-]+)$/);
      expect(r.version, r.ua).toMatch(/^(\d+\.\d+\.\d+\S*|none:[a-z-]+)$/);
    }
  });

  it('holds every line of user-agents.txt', () => {
    const shared = readFileSync(new URL('user-agents.txt', TESTDATA), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const uas = new Set(corpus.map((r) => r.ua));
    expect(shared.filter((ua) => !uas.has(ua))).toEqual([]);
  });

  it('is parsed right for at least 98% of the strings (the misses are listed)', () => {
    const misses = corpus
      .map((r) => ({ ...r, got: observed(r.ua) }))
      .filter((r) => r.got.name !== r.name || r.got.version !== r.version || r.got.kube !== r.kube)
      .map((r) => `${r.ua}: expected ${r.name} ${r.version} ${r.kube}, got ${JSON.stringify(r.got)}`);
    const agreement = (corpus.length - misses.length) / corpus.length;
    expect(agreement, `misses:\n${misses.join('\n')}`).toBeGreaterThanOrEqual(0.98);
  });

  it('never gives a Kubernetes version to a string the corpus calls ambiguous', () => {
    const guessed = corpus
      .filter((r) => r.kube.startsWith('unknown:') && !observed(r.ua).kube.startsWith('unknown:'))
      .map((r) => `${r.ua} -> ${observed(r.ua).kube}`);
    expect(guessed).toEqual([]);
  });

  it('keeps the identity invariants on every real string', () => {
    for (const { ua } of corpus) {
      const r = parseUserAgent(ua);
      expect(r.kubeReason === '', ua).toBe(r.kubeVersion !== null);
      expect(r.versionReason === '', ua).toBe(r.version !== null);
    }
  });
});
