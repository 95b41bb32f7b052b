import { describe, expect, it } from 'vitest';
import { RankInputError } from './errors.js';
import { minorNumber } from './versions.js';
import { parseWindow, resolveWindow } from './window.js';

describe('windows and versions', () => {
  it('parses durations and refuses empty or malformed ones', () => {
    expect(parseWindow('7d')).toBe(7 * 86_400_000);
    expect(parseWindow('90m')).toBe(90 * 60_000);
    expect(parseWindow('2w')).toBe(14 * 86_400_000);
    expect(() => parseWindow('0d')).toThrow(RankInputError);
    expect(() => parseWindow('7 days')).toThrow('not a duration');
  });

  it('resolves a window ending now, and refuses a reversed one', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(resolveWindow({ since: '1d', now })).toEqual({ from: new Date('2026-03-09T12:00:00Z'), to: now });
    expect(() => resolveWindow({ from: now, to: now })).toThrow('window is empty');
  });

  it('reads Kubernetes minors', () => {
    expect(minorNumber('1.18')).toBe(18);
    expect(minorNumber('v1.18.3')).toBe(18);
    expect(() => minorNumber('latest', 'target version')).toThrow('target version "latest"');
    expect(() => minorNumber('2.1')).toThrow(RankInputError);
  });
});
