import { describe, expect, it } from 'vitest';
import { deriveClusters, type VersionRow } from './clusters.js';

const row = (r: Partial<VersionRow>): VersionRow => ({
  cluster: 'c',
  component: 'kube-apiserver',
  version: '1.27.9',
  apiserver: '',
  apiserver_version: '',
  requests: 1,
  nodes: 0,
  first_seen: '2026-03-01T00:00:00.000Z',
  last_seen: '2026-03-01T00:00:00.000Z',
  ...r,
});

describe('deriveClusters', () => {
  it('finds the upgrade moment as the first request of the new control-plane minor', () => {
    const [c] = deriveClusters([
      row({ first_seen: '2026-03-01T00:00:00.000Z', last_seen: '2026-03-05T10:30:00.000Z' }),
      row({
        component: 'kube-scheduler',
        version: 'v1.28.3',
        first_seen: '2026-03-05T10:00:00.000Z',
        last_seen: '2026-03-09T00:00:00.000Z',
      }),
      row({
        component: 'kube-controller-manager',
        version: '1.28.3-gke.100',
        first_seen: '2026-03-05T11:00:00.000Z',
        last_seen: '2026-03-08T00:00:00.000Z',
      }),
    ]);
    expect(c!.current).toBe('1.28');
    expect(c!.upgrades).toEqual([
      { from: '1.27', to: '1.28', at: '2026-03-05T10:00:00.000Z', completedAt: '2026-03-05T10:30:00.000Z' },
    ]);
  });

  it('reads a rollback as the old minor seen last, with no upgrade back', () => {
    const [c] = deriveClusters([
      row({
        version: '1.27.9',
        first_seen: '2026-03-01T00:00:00.000Z',
        last_seen: '2026-03-09T00:00:00.000Z',
      }),
      row({
        version: '1.28.3',
        first_seen: '2026-03-05T00:00:00.000Z',
        last_seen: '2026-03-06T00:00:00.000Z',
      }),
    ]);
    expect(c!.current).toBe('1.27');
    expect(c!.upgrades.map((u) => `${u.from}->${u.to}`)).toEqual(['1.27->1.28']);
  });

  it('does not take kubelets or other clients for the control plane, and measures node skew', () => {
    const [c] = deriveClusters([
      row({ version: '1.28.3' }),
      row({ component: 'kubelet', version: '1.24.2', nodes: 2 }),
      row({ component: 'kubelet', version: '1.27.1', nodes: 5 }),
      row({ component: '', version: '', apiserver: 'cp-1', apiserver_version: 'v1.28.3', requests: 7 }),
    ]);
    expect(c!.timeline.map((t) => t.minor)).toEqual(['1.28']);
    expect(c!.nodes.map((n) => [n.minor, n.nodes, n.behind])).toEqual([
      ['1.24', 2, 4],
      ['1.27', 5, 1],
    ]);
    expect(c!.unsupportedSkew).toBe(true);
    expect(c!.apiservers).toMatchObject([{ apiserver: 'cp-1', version: 'v1.28.3', requests: 7 }]);
  });

  it('has no current version when no control-plane agent names one', () => {
    const [c] = deriveClusters([
      row({ version: 'unknown' }),
      row({ component: 'kubelet', version: '1.27.1' }),
    ]);
    expect(c!.current).toBeNull();
    expect(c!.nodes[0]!.behind).toBe(0);
    expect(c!.unsupportedSkew).toBe(false);
  });
});
