import { describe, expect, it } from 'vitest';
import type { FixtureSet, LifecycleFact } from './kube-api.js';
import { kindLifecycles } from './lifecycle.js';
import { SpecSnapshot } from './snapshot.js';
import type { ReleaseSpec } from './spec-set.js';
import { crdSpec } from './testing.js';

const W = { group: 'x.k8s.io', kind: 'Widget', plural: 'widgets', spec: { type: 'object' } };
const doc = (minor: number, versions: string[], partial = false): ReleaseSpec => ({
  minor: `1.${minor}`,
  maxMinor: `1.${minor}`,
  file: `${partial ? 'partial/' : ''}v1.${minor}.json.gz`,
  sha256: '',
  partial,
  snapshot: new SpecSnapshot(crdSpec(versions.map((version) => ({ ...W, version })))),
});
const fixtures = (byMinor: Record<number, string[]>): FixtureSet[] =>
  Object.entries(byMinor).map(([m, versions]) => ({
    minor: `1.${m}`,
    file: '',
    sha256: '',
    types: new Map(versions.map((v) => [`x.k8s.io/${v}/Widget`, {}])),
  }));
const tag = (version: string, f: Partial<LifecycleFact>): LifecycleFact => ({
  group: 'x.k8s.io',
  version,
  kind: 'Widget',
  tag: 'v1.36',
  ...f,
});
const life = (specs: ReleaseSpec[], fx: FixtureSet[], facts: LifecycleFact[], version: string) =>
  kindLifecycles(specs, fx, facts).find((l) => l.version === version)!;

describe('kindLifecycles', () => {
  it('takes a tagged removal earlier than the documents stop listing the kind', () => {
    const specs = [doc(16, ['v1beta1']), doc(17, ['v1beta1']), doc(18, [])];
    const l = life(specs, [], [tag('v1beta1', { removed: '1.16', deprecated: '1.8' })], 'v1beta1');
    expect(l.removed).toEqual({
      since: 16,
      source: 'kube-api lifecycle v1.36: removed 1.16 (openapi v1.16, v1.17 still list it)',
    });
    expect(l.deprecated?.since).toBe(8);
  });

  it('lets the documents overrule a tagged removal they have already made, and keeps a later one as a plan', () => {
    const specs = [doc(20, ['v1beta1', 'v1beta2']), doc(21, ['v1beta2'])];
    const facts = [tag('v1beta1', { removed: '1.24' }), tag('v1beta2', { removed: '1.38' })];
    expect(life(specs, [], facts, 'v1beta1').removed).toEqual({
      since: 21,
      source: 'openapi v1.20 has it, v1.21 lacks it; kube-api lifecycle v1.36 planned 1.24',
    });
    const planned = life(specs, [], facts, 'v1beta2');
    expect(planned.removed).toBeUndefined();
    expect(planned.plannedRemoval).toBe(38);
  });

  it('dates a removal in the document gap by the first fixture without the type, else the next document', () => {
    const specs = [doc(22, ['v1alpha1', 'v1alpha2']), doc(26, [], true), doc(28, [])];
    const fx = fixtures({
      23: ['v1alpha1', 'v1alpha2'],
      24: ['v1alpha2'],
      25: ['v1alpha2'],
      26: ['v1alpha2'],
      27: ['v1alpha2'],
    });
    expect(life(specs, fx, [], 'v1alpha1').removed?.since).toBe(24);
    // Types can outlive their API: a fixture that has it proves nothing, the v1.28 document does.
    expect(life(specs, fx, [], 'v1alpha2').removed).toEqual({
      since: 28,
      source: 'openapi v1.22 has it, v1.28 lacks it, no document of v1.23..v1.27',
    });
  });

  it('dates an addition by the first sign of the kind that no later full document contradicts', () => {
    const specs = [doc(22, []), doc(28, []), doc(29, ['v1alpha1'])];
    // The tag says 1.27, the v1.28 document does not serve it.
    const l = life(
      specs,
      fixtures({ 27: [], 28: [], 29: ['v1alpha1'] }),
      [tag('v1alpha1', { introduced: '1.27' })],
      'v1alpha1',
    );
    expect(l.added?.since).toBe(29);
    const gap = life(
      [doc(22, []), doc(28, ['v1'])],
      fixtures({ 25: ['v1'] }),
      [tag('v1', { introduced: '1.25' })],
      'v1',
    );
    expect(gap.added).toEqual({
      since: 25,
      source:
        'openapi v1.22 lacks it; kube-api fixtures from v1.25; kube-api lifecycle v1.36: introduced 1.25',
    });
  });
});
