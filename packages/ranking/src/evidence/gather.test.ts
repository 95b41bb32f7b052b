import { describe, expect, it } from 'vitest';
import { assessRequest, buildRiskIndex } from '../risk.js';
import { TEST_CATALOG } from '../testing.js';
import type { RankedClient } from '../types.js';
import { type Evidence, fieldTargets, withEvidence } from './gather.js';

const idx = buildRiskIndex(TEST_CATALOG, 22, 25);

describe('field evidence in the risk model', () => {
  const shape = { group: 'apps', version: 'v1', resource: 'deployments', subresource: '', verb: 'update' };
  const severities = (floor: number) =>
    assessRequest({ ...shape, kubeMinor: 0, kubeMinorFloor: floor }, idx).map(
      (h) => `${h.change.since}:${h.severity}`,
    );

  it('drops the changes a client of unknown version is proven to know, keeps the newer ones', () => {
    expect(severities(0)).toEqual(['1.23:needs-verification', '1.24:needs-verification']);
    expect(severities(23)).toEqual(['1.24:needs-verification']);
    expect(severities(24)).toEqual([]);
  });

  it('never overrules a version the user agent tells', () => {
    const hits = assessRequest({ ...shape, kubeMinor: 20, kubeMinorFloor: 30 }, idx);
    expect(hits.map((h) => h.severity)).toEqual(['high', 'high']);
  });

  it('targets each changed field once per object, under its canonical group', () => {
    expect(fieldTargets(idx)).toEqual(
      expect.arrayContaining([
        {
          object: 'apps/deployments',
          aliases: ['apps/deployments', 'extensions/deployments'],
          path: 'spec.template.spec.os',
        },
        {
          object: 'apps/statefulsets',
          aliases: ['apps/statefulsets'],
          path: 'spec.persistentVolumeClaimRetentionPolicy',
        },
      ]),
    );
  });
});

describe('withEvidence', () => {
  const client = (name: string, severity: RankedClient['severity'], requests: number): RankedClient => ({
    rank: 0,
    client: name,
    clientVersion: 'v0.0.0',
    kubeVersion: null,
    kubeVersionOverridden: false,
    severity,
    score: 0,
    requests,
    updates: requests,
    objects: 1,
    lastSeen: '2026-03-01T00:00:00.000Z',
    users: [`sa:${name}`],
    namespaces: [],
    owners: [],
    findings: [
      {
        change: 'field-added',
        severity,
        group: 'extensions',
        version: 'v1beta1',
        resource: 'deployments',
        path: 'spec.template.spec.os',
        since: '1.23',
        verb: 'update',
        count: requests,
        sampleAuditIds: [],
        owners: [],
      },
    ],
  });
  const ev: Evidence = {
    inferred: new Map([['wiper\u0000sa:wiper', { min: '1.19', minor: 19, basis: ['apps/deployments:x'] }]]),
    counts: new Map([
      [
        ['wiper', 'v0.0.0', 'apps/deployments', 'spec.template.spec.os'].join('\u0000'),
        {
          clientName: 'wiper',
          clientVersion: 'v0.0.0',
          object: 'apps/deployments',
          path: 'spec.template.spec.os',
          set: 0,
          omitted: 4,
          dropped: 2,
          dropObjects: ['shop/web'],
          dropSamples: [],
        },
      ],
    ]),
    floor: () => 0,
  };

  it('adds counts and proven versions, and ranks a client seen wiping a field as high', () => {
    const [first, second] = withEvidence(
      [client('busy', 'needs-verification', 500), client('wiper', 'needs-verification', 3)],
      ev,
    );
    expect(first).toMatchObject({
      client: 'wiper',
      rank: 1,
      severity: 'high',
      inferredVersion: { min: '1.19' },
    });
    expect(first!.findings[0]).toMatchObject({
      set: 0,
      omitted: 4,
      dropped: 2,
      droppedObjects: ['shop/web'],
    });
    expect(second).toMatchObject({
      client: 'busy',
      rank: 2,
      severity: 'needs-verification',
      inferredVersion: null,
    });
    expect(second!.findings[0]).toMatchObject({ set: 0, omitted: 0, dropped: 0, droppedObjects: [] });
  });
});
