import { builtinChanges } from '@radar/catalog';
import { describe, expect, it } from 'vitest';
import { defaultServed, detectEmulation, type EmulationRow, emulationProbes, gvrKey } from './emulation.js';

const served = defaultServed(builtinChanges());
const keys = (ds: readonly { group: string; version: string; resource: string }[]) => ds.map(gvrKey);

describe('defaultServed (built-in catalog)', () => {
  it('GA versions, betas added before 1.24, never alpha nor later betas', () => {
    const k = keys(served);
    expect(k).toContain('networking.k8s.io/v1/servicecidrs'); // GA 1.33
    expect(k).toContain('flowcontrol.apiserver.k8s.io/v1beta2/flowschemas'); // beta 1.23: on
    expect(k).not.toContain('resource.k8s.io/v1beta2/resourceclaims'); // beta 1.33: off by default
    expect(k).not.toContain('flowcontrol.apiserver.k8s.io/v1beta3/flowschemas'); // beta 1.26
    expect(k).not.toContain('networking.k8s.io/v1alpha1/servicecidrs');
    expect(
      served.find((d) => gvrKey(d) === 'flowcontrol.apiserver.k8s.io/v1beta2/flowschemas'),
    ).toMatchObject({
      since: 23,
      removedIn: 29,
    });
  });

  it('probes of a 1.33 binary: added in 1.31..1.33 and still served', () => {
    const probes = emulationProbes(served, 33);
    expect(keys(probes).sort()).toEqual([
      'networking.k8s.io/v1/ipaddresses',
      'networking.k8s.io/v1/servicecidrs',
    ]);
    expect(keys(emulationProbes(served, 34))).toContain('resource.k8s.io/v1/resourceclaims');
  });
});

const row = (resource: string, over: Partial<EmulationRow>): EmulationRow => ({
  cluster: 'c',
  api_group: 'networking.k8s.io',
  api_version: 'v1',
  resource,
  answered: 0,
  not_found: 0,
  collection: 0,
  succeeded: 0,
  sample_ids: [],
  ...over,
});

describe('detectEmulation', () => {
  const probes = emulationProbes(served, 33);

  it('every list of a GV new in the binary answered 404: emulated below it', () => {
    const out = detectEmulation(33, probes, [
      row('servicecidrs', { answered: 4, not_found: 4, collection: 3, sample_ids: ['b', 'a', 'c'] }),
    ]);
    expect(out).toEqual({
      status: 'emulated',
      binary: '1.33',
      minor: '1.32',
      atLeast: null,
      atMost: '1.32',
      evidence: [
        {
          gv: 'networking.k8s.io/v1',
          resource: 'servicecidrs',
          addedIn: '1.33',
          notFound: 4,
          succeeded: 0,
          sampleAuditIds: ['a', 'b', 'c'],
          proves: 'below',
        },
      ],
    });
  });

  it('a success proves the binary minor: not emulated', () => {
    const out = detectEmulation(33, probes, [
      row('ipaddresses', { answered: 3, not_found: 1, collection: 1, succeeded: 2 }),
    ]);
    expect(out).toMatchObject({ status: 'not-emulated', minor: '1.33', atLeast: '1.33', atMost: null });
  });

  it('no telling traffic is unknown, never a guess', () => {
    expect(detectEmulation(33, probes, [])).toMatchObject({ status: 'unknown', minor: null, evidence: [] });
    // 404s on gets only (missing objects), or 404s beside 403s: no evidence.
    expect(
      detectEmulation(33, probes, [
        row('servicecidrs', { answered: 2, not_found: 2, collection: 0 }),
        row('ipaddresses', { answered: 3, not_found: 2, collection: 2 }),
      ]),
    ).toMatchObject({ status: 'unknown', evidence: [] });
    // An API not among the probes (a CRD, an old GV) says nothing.
    expect(
      detectEmulation(33, probes, [row('ingresses', { answered: 5, not_found: 5, collection: 5 })]).status,
    ).toBe('unknown');
  });

  it('a success and an all-404 on the same minor conflict', () => {
    const out = detectEmulation(33, probes, [
      row('servicecidrs', { answered: 1, not_found: 1, collection: 1 }),
      row('ipaddresses', { answered: 1, succeeded: 1 }),
    ]);
    expect(out).toMatchObject({ status: 'conflicting', minor: null, atLeast: '1.33', atMost: '1.32' });
  });
});
