import { describe, expect, it } from 'vitest';
import { CLIENT_FAMILIES, type ClientIdentity, MAX_USER_AGENT_LENGTH, parseUserAgent } from './index.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isControl(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/** Every emitted string is short, printable and well-formed UTF-16; the shape invariants hold. */
function expectSafe(r: ClientIdentity): void {
  const texts = [r.name, r.family, r.version ?? '', r.kubeVersion ?? '', r.platform, r.commit, r.suffix];
  for (const t of texts) {
    expect(t.length).toBeLessThanOrEqual(256);
    expect([...t].some(isControl)).toBe(false);
    expect(LONE_SURROGATE.test(t)).toBe(false);
  }
  expect(r.name).not.toBe('');
  expect(CLIENT_FAMILIES).toContain(r.family);
  expect(r.versionReason === '').toBe(r.version !== null);
  expect(Number.isInteger(r.kubeMinor) && r.kubeMinor >= 0 && r.kubeMinor < 1000).toBe(true);
}

const big = 'k'.repeat(10 * 1024);
const HOSTILE: [string, string][] = [
  ['10 KB without a slash', big],
  ['10 KB name', `${big}/v1.2.3`],
  ['10 KB version', `kubectl/v1.2.3-${'a'.repeat(10 * 1024)}`],
  ['10 KB suffix', `x/v0.0.0 (linux/amd64) kubernetes/$Format/${'s/'.repeat(5000)}`],
  ['10 KB of slashes', '/'.repeat(10 * 1024)],
  ['10 KB of parens', `a/1 ${'('.repeat(10 * 1024)}`],
  ['control characters', 'kube\u0000ctl/v1.2.3\u0007 (linux/amd64)\u001b[31m kubernetes/abc\u0085/x'],
  ['newline injection', 'kubectl/v1.29.3\r\nX-Evil: 1'],
  ['unicode name', 'контроллер/v1.2.3 (linux/amd64) kubernetes/abc1234'],
  ['emoji and RTL', '🚀\u202Eop/v1.2.3'],
  ['lone surrogates', '\uD800abc/v1\uDC00.2'],
  ['surrogate pair cut at the length limit', `${'a'.repeat(MAX_USER_AGENT_LENGTH - 1)}😀`],
  ['only spaces', ' '.repeat(100)],
  ['unicode spaces', '\u00A0\u2003\uFEFF'],
  ['huge numbers', 'x/v99999999999999999999.1.1'],
  ['dots', 'x/....'],
  ['empty name and version', '/'],
  ['unclosed platform', 'x/v1.2.3 (linux/amd64 kubernetes/abc'],
  ['nested kubernetes', 'x/v1.2.3 (linux/amd64) kubernetes/kubernetes/kubernetes/'],
  ['terraform without version', 'HashiCorp/1.0 Terraform/'],
  ['java without version', 'Kubernetes Java Client/'],
];

describe('parseUserAgent on hostile input', () => {
  it.each(HOSTILE)('%s: never throws and stays bounded', (_label, ua) => {
    expectSafe(parseUserAgent(ua));
  });

  it('cuts long user agents before parsing', () => {
    const r = parseUserAgent(`${big}/v1.2.3`);
    expect(r.name.length).toBe(128);
    expect(r.versionReason).toBe('missing'); // the '/' lies beyond the cut
  });

  it('keeps a readable result when controls are replaced', () => {
    const r = parseUserAgent('kube\u0000ctl/v1.29.3 (linux/amd64) kubernetes/6813625');
    expect(r.name).toBe('kube\uFFFDctl');
    expect(r.version).toBe('1.29.3');
    expect(r.platform).toBe('linux/amd64');
  });

  it('treats a tab like the space it separates', () => {
    const r = parseUserAgent('kubectl/v1.29.3\t(linux/amd64) kubernetes/6813625');
    expect([r.name, r.version, r.platform, r.commit]).toEqual([
      'kubectl',
      '1.29.3',
      'linux/amd64',
      '6813625',
    ]);
  });

  it('does not take a version from oversized or out-of-range numbers', () => {
    expect(parseUserAgent('x/v99999999999999999999.1.1').versionReason).toBe('unparseable');
    expect(parseUserAgent(`kubectl/v1.2.3-${'a'.repeat(200)}`).versionReason).toBe('unparseable');
  });

  it('never drops half of a surrogate pair at the cut', () => {
    const r = parseUserAgent(`${'a'.repeat(MAX_USER_AGENT_LENGTH - 1)}😀`);
    expect(LONE_SURROGATE.test(r.name)).toBe(false);
  });

  it('accepts non-string input from untyped callers', () => {
    for (const v of [42, {}, [], true] as unknown[]) {
      expect(parseUserAgent(v as string).versionReason).toBe('missing');
    }
  });
});
