import { describe, expect, it } from 'vitest';
import type { ClusterVersions } from './clusters.js';
import { mixedWindow, mixedWrites } from './mixed.js';

const cluster = (over: Partial<ClusterVersions>): ClusterVersions => ({
  cluster: 'c',
  current: '1.28',
  timeline: [],
  upgrades: [
    { from: '1.27', to: '1.28', at: '2026-03-05T10:00:00.000Z', completedAt: '2026-03-05T12:00:00.000Z' },
  ],
  nodes: [],
  unsupportedSkew: false,
  apiservers: [],
  ...over,
});

const seen = (apiserver: string, version: string, firstSeen: string, lastSeen: string) => ({
  apiserver,
  version,
  firstSeen,
  lastSeen,
  requests: 1,
});

describe('mixedWindow', () => {
  it('from the apiserver identities: first request through a new one to the last through an old one', () => {
    const w = mixedWindow(
      cluster({
        apiservers: [
          seen('cp-1', 'v1.27.9', '2026-03-01T00:00:00.000Z', '2026-03-05T11:00:00.000Z'),
          seen('cp-3', '1.27.9', '2026-03-01T00:00:00.000Z', '2026-03-05T10:30:00.000Z'),
          seen('cp-2', 'v1.28.3', '2026-03-05T10:10:00.000Z', '2026-03-09T00:00:00.000Z'),
        ],
      }),
      27,
      28,
    );
    expect(w).toEqual({
      from: '1.27',
      to: '1.28',
      start: '2026-03-05T10:10:00.000Z',
      end: '2026-03-05T11:00:00.000Z',
      basis: 'apiservers',
      older: ['cp-1', 'cp-3'],
    });
  });

  it('falls back to the detected control-plane upgrade, and to nothing', () => {
    expect(mixedWindow(cluster({}), 27, 28)).toMatchObject({
      basis: 'control-plane',
      start: '2026-03-05T10:00:00.000Z',
      older: [],
    });
    expect(mixedWindow(cluster({}), 28, 29)).toBeUndefined();
  });

  it('orders writes largest first, samples sorted and capped', () => {
    const ws = mixedWrites([
      {
        api_group: '',
        resource: 'pods',
        namespace: 'a',
        client_name: 'x',
        apiserver: 'cp-1',
        writes: 2,
        sample_ids: ['b', 'a'],
      },
      {
        api_group: 'apps',
        resource: 'deployments',
        namespace: 'b',
        client_name: 'y',
        apiserver: 'cp-1',
        writes: 9,
        sample_ids: ['1', '2', '3', '4', '5', '6'],
      },
    ]);
    expect(ws.map((w) => w.api)).toEqual(['apps/deployments', 'core/pods']);
    expect(ws[0]!.sampleAuditIds).toHaveLength(5);
    expect(ws[1]!.sampleAuditIds).toEqual(['a', 'b']);
  });
});
