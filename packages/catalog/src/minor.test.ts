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
  ])('reads %s as %s', (input, minor) => {
    expect(parseMinor(input)).toBe(minor);
  });

  it.each(['1.99', '1.15', '1.37', '1.99.1'])('refuses %s as outside the known range', (input) => {
    expect(() => parseMinor(input)).toThrow(CatalogInputError);
    expect(() => parseMinor(input)).toThrow(/covers 1\.16 to 1\.36/);
  });

  it.each([
    'latest',
    '',
    '1',
    '1.x',
    'v1.18.3',
    'v1.18.3.4',
    'v2.0',
    'eighteen',
    '1.18-beta',
    '01.18',
    'v1.18.12-gke.1',
  ])('refuses %s as not a version', (input) => {
    expect(() => parseMinor(input)).toThrow(/not a Kubernetes version/);
  });

  it('names the bad input in the message', () => {
    expect(() => parseMinor('latest')).toThrow("'latest'");
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
