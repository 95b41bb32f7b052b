import { describe, expect, it } from 'vitest';
import { CatalogInputError } from './errors.js';
import { compareMinors, KNOWN_MINORS, parseMinor, parseReportedMinor, tryParseMinor } from './minor.js';

describe('parseMinor', () => {
  it.each([
    ['1.18', '1.18'],
    ['v1.18', '1.18'],
    ['1.18.3', '1.18'],
    [' 1.36 ', '1.36'],
    ['1.16.0', '1.16'],
    // What `kubectl version` and providers print (issue 9 item 3); docs/ranking.md uses v1.24.7.
    ['v1.28.3', '1.28'],
    ['v1.24.7', '1.24'],
    ['v1.28.3-gke.100', '1.28'],
    ['v1.29.1-eks-abc', '1.29'],
    ['v1.23.9+k3s1', '1.23'],
    ['v1.18.12-gke.1210', '1.18'],
    ['v1.30.4-eks-a737599', '1.30'],
    ['v1.20.0+bd9e442', '1.20'],
    ['1.27.3-gke.100', '1.27'],
    ['v1.31.0-rc.1', '1.31'],
  ])('reads %s as %s', (input, minor) => {
    expect(parseMinor(input)).toBe(minor);
  });

  it.each(['1.99', '1.15', '1.37', '1.99.1', 'v1.99.0-gke.1', 'v1.15.3+k3s1'])(
    'refuses %s as outside the known range',
    (input) => {
      expect(() => parseMinor(input)).toThrow(CatalogInputError);
      expect(() => parseMinor(input)).toThrow(/covers 1\.16 to 1\.36/);
    },
  );

  it.each([
    'latest',
    'stable',
    '',
    '1',
    '1.x',
    'v1.18.3.4',
    'v2.0',
    'v2.0.1',
    'eighteen',
    '1.18-beta',
    'v1.18-gke.1',
    '01.18',
    '1.018',
    '1.18.03',
    'v1.18.3-',
    'v1.18.3+',
    'v1.18.3 gke',
    'V1.18.3',
    'vv1.18',
    `v1.18.3-${'x'.repeat(65)}`,
    'v1.18.3-gke/100',
  ])('refuses %j as not a version', (input) => {
    expect(() => parseMinor(input)).toThrow(/not a Kubernetes version/);
  });

  it('names the bad input and the accepted forms in the message', () => {
    expect(() => parseMinor('latest')).toThrow("'latest'");
    expect(() => parseMinor('latest')).toThrow(/v1\.28\.3-gke\.100/);
  });
});

describe('parseReportedMinor', () => {
  it.each([
    ['v1.18.3', '1.18'],
    ['v1.18.12-gke.1210', '1.18'],
    ['v1.23.9+k3s1', '1.23'],
    ['1.20', '1.20'],
  ])('reads what a cluster or spec reports, %s as %s', (input, minor) => {
    expect(parseReportedMinor(input)).toBe(minor);
  });

  it('still refuses what it does not know', () => {
    expect(() => parseReportedMinor('v1.99.0')).toThrow(/covers 1\.16 to 1\.36/);
    expect(() => parseReportedMinor('unversioned')).toThrow(/not a Kubernetes version/);
  });
});

describe('minors', () => {
  it('knows 1.16 to 1.36, in order', () => {
    expect(KNOWN_MINORS[0]).toBe('1.16');
    expect(KNOWN_MINORS.at(-1)).toBe('1.36');
    expect(KNOWN_MINORS).toHaveLength(21);
  });

  it('compares numerically, not as text', () => {
    expect(compareMinors('1.9', '1.16')).toBeLessThan(0);
    expect(compareMinors('1.36', '1.4')).toBeGreaterThan(0);
  });

  it('tryParseMinor returns undefined instead of throwing', () => {
    expect(tryParseMinor('unversioned')).toBeUndefined();
    expect(tryParseMinor(undefined)).toBeUndefined();
    expect(tryParseMinor('v1.23.14')).toBe('1.23');
  });
});
