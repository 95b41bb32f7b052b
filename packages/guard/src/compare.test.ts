import { describe, expect, it } from 'vitest';
import { compareObjects } from './compare.js';
import type { GuardRule } from './rules.js';
import { deployment, ingress } from './testing.js';

const rule = (path: string, defaults: unknown[] = []): GuardRule => ({
  group: 'x',
  version: 'v1',
  resource: 'things',
  path,
  change: 'field-added',
  since: '1.18',
  sinceNumber: 18,
  defaults,
});

describe('compareObjects', () => {
  it('finds a field dropped from every list item, at its concrete path', () => {
    const f = compareObjects(
      [rule('spec.rules[].http.paths[].pathType')],
      ingress('Exact'),
      ingress(undefined),
    );
    expect(f.map((x) => [x.kind, x.at, x.before])).toEqual([
      ['dropped', 'spec.rules[0].http.paths[0].pathType', 'Exact'],
      ['dropped', 'spec.rules[0].http.paths[1].pathType', 'Exact'],
    ]);
  });

  it('finds a value reset to the default, and ignores a change to another value', () => {
    const r = rule('spec.template.spec.securityContext.fsGroupChangePolicy', ['Always']);
    expect(compareObjects([r], deployment('OnRootMismatch'), deployment('Always'))).toMatchObject([
      { kind: 'reset', before: 'OnRootMismatch', after: 'Always' },
    ]);
    expect(compareObjects([r], deployment('Always'), deployment('OnRootMismatch'))).toEqual([]);
    expect(compareObjects([r], deployment('Always'), deployment('Always'))).toEqual([]);
  });

  it('matches a numeric default (revisionHistoryLimit style) written as a number or a string', () => {
    const r = rule('spec.revisionHistoryLimit', [2147483647, '10']);
    const before = { spec: { revisionHistoryLimit: 3 } };
    expect(compareObjects([r], before, { spec: { revisionHistoryLimit: 10 } })).toHaveLength(1);
    expect(compareObjects([r], before, { spec: { revisionHistoryLimit: 2147483647 } })).toHaveLength(1);
  });

  it('does not flag a field never set, or a parent removed as a whole', () => {
    const r = rule('spec.rules[].http.paths[].pathType');
    expect(compareObjects([r], ingress(undefined), ingress(undefined))).toEqual([]);
    const without = ingress('Exact');
    (without.spec as Record<string, unknown>).rules = [];
    expect(compareObjects([r], ingress('Exact'), without)).toEqual([]);
  });

  it('matches list items by name when they have one', () => {
    const r = rule('spec.containers[].startupProbe');
    const before = { spec: { containers: [{ name: 'a' }, { name: 'b', startupProbe: { exec: {} } }] } };
    const reordered = { spec: { containers: [{ name: 'b', startupProbe: { exec: {} } }, { name: 'a' }] } };
    expect(compareObjects([r], before, reordered)).toEqual([]);
    expect(compareObjects([r], before, { spec: { containers: [{ name: 'b' }] } })).toHaveLength(1);
  });

  it('walks map values and survives hostile shapes', () => {
    const r = rule('spec.templates.*.mode');
    const before = { spec: { templates: { a: { mode: 'x' }, b: { mode: 'y' } } } };
    expect(compareObjects([r], before, { spec: { templates: { a: {}, b: { mode: 'y' } } } })).toMatchObject([
      { at: 'spec.templates["a"].mode' },
    ]);
    for (const junk of [null, 1, 'x', [], { spec: 'x' }, { spec: { templates: [1] } }]) {
      expect(compareObjects([r], before, junk)).toEqual([]);
      expect(compareObjects([r], junk, before)).toEqual([]);
    }
  });
});
