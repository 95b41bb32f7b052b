import { auditRow } from '../../packages/ranking/src/testing.js';

/**
 * Generated traffic with known answers for the upgrade commands (test/integration/upgrade.test.ts):
 *   prod     control plane 1.27 -> 1.28 at PROD_UPGRADE, two apiservers (cp-1 1.27, cp-2 1.28)
 *            serving at once; 4 pod updates through cp-1 in the mixed window (the only answer)
 *   legacy   1.26 -> 1.27 at LEGACY_UPGRADE: resourceclaims created through resource.k8s.io/v1alpha2
 *            (new in 1.27), flowschemas written since (storage moved to v1beta3), one flowschema
 *            written only before, a deployment update setting resizePolicy (added in 1.27)
 *   planned  1.24 for four weeks before PLAN_END: deployment writes at 3 per hour, except Sun
 *            03:00-05:00 UTC at 1 per hour (namespace batch-ns): the quietest window
 */
const HOUR = 3_600_000;
const floorHour = (t: number) => Math.floor(t / HOUR) * HOUR;

export const NOW = Date.now();
export const PROD_UPGRADE = new Date(floorHour(NOW - 3 * 86_400_000) + 17 * 60_000);
export const LEGACY_UPGRADE = new Date(floorHour(NOW - 2 * 86_400_000) + 5 * 60_000);
/** Monday 00:00 UTC of this week: the plan's history ends there, four whole weeks. */
export const PLAN_END = (() => {
  const d = new Date(floorHour(NOW));
  d.setUTCHours(0);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d;
})();

type Extra = Record<string, unknown>;
let seq = 0;

function ev(cluster: string, t: Date | number, spec: Extra, extra: Extra = {}): Record<string, unknown> {
  const at = typeof t === 'number' ? new Date(t) : t;
  const id = `${cluster}-${seq++}`;
  return {
    ...auditRow({
      id,
      ts: at,
      cluster,
      client: 'x',
      kube: 0,
      verb: 'get',
      group: '',
      version: 'v1',
      resource: 'pods',
      ...spec,
    } as Parameters<typeof auditRow>[0]),
    ...extra,
  };
}

/** A control-plane component's request (its user agent names its version). */
function cp(cluster: string, t: Date | number, component: string, version: string, extra: Extra = {}) {
  const minor = Number(version.split('.')[1]);
  return ev(
    cluster,
    t,
    {
      client: component,
      clientVersion: version,
      kube: minor,
      verb: 'list',
      group: 'coordination.k8s.io',
      resource: 'leases',
      user: `system:${component}`,
      userAgent: `${component}/${version} (linux/amd64) kubernetes/abc1234`,
    },
    extra,
  );
}

function kubelet(cluster: string, t: number, version: string, node: string) {
  return ev(cluster, t, {
    client: 'kubelet',
    clientVersion: version,
    kube: Number(version.split('.')[1]),
    verb: 'get',
    resource: 'nodes',
    user: `system:node:${node}`,
  });
}

export function prodTraffic(): Record<string, unknown>[] {
  const up = PROD_UPGRADE.getTime();
  const rows: Record<string, unknown>[] = [];
  for (let h = 1; h <= 7 * 24; h++) {
    rows.push(cp('prod', up - h * HOUR, 'kube-controller-manager', 'v1.27.9'));
    rows.push(cp('prod', up - h * HOUR + 60_000, 'kube-apiserver', 'v1.27.9'));
  }
  // The roll: the first 1.28 request (through the new apiserver), the old scheduler's last one later.
  rows.push(cp('prod', up, 'kube-apiserver', 'v1.28.3', { apiserver: 'cp-2', apiserver_version: 'v1.28.3' }));
  rows.push(cp('prod', up + 30 * 60_000, 'kube-scheduler', 'v1.27.9'));
  for (let t = up + HOUR; t < NOW - HOUR; t += HOUR) {
    rows.push(cp('prod', t, 'kube-controller-manager', 'v1.28.3'));
    rows.push(cp('prod', t + 60_000, 'kube-scheduler', 'v1.28.3'));
  }
  for (const n of ['n1', 'n2', 'n3']) rows.push(kubelet('prod', NOW - 2 * HOUR, 'v1.27.9', n));
  rows.push(kubelet('prod', NOW - 2 * HOUR, 'v1.25.4', 'n4'));
  const pods = { client: 'old-op', kube: 26, group: '', version: 'v1', resource: 'pods', namespace: 'shop' };
  const via = (name: string, version: string) => ({ apiserver: name, apiserver_version: version });
  // Before the window: through cp-1, not counted.
  rows.push(ev('prod', up - 2 * HOUR, { ...pods, verb: 'update' }, via('cp-1', 'v1.27.9')));
  // In the window: the answer (4), and what must not count (new apiserver; unchanged resource).
  for (let i = 0; i < 4; i++)
    rows.push(
      ev(
        'prod',
        up + (5 + i) * 60_000,
        { ...pods, verb: i % 2 ? 'patch' : 'update' },
        via('cp-1', 'v1.27.9'),
      ),
    );
  for (let i = 0; i < 3; i++)
    rows.push(ev('prod', up + (10 + i) * 60_000, { ...pods, verb: 'update' }, via('cp-2', 'v1.28.3')));
  for (let i = 0; i < 2; i++)
    rows.push(
      ev(
        'prod',
        up + (12 + i) * 60_000,
        { ...pods, verb: 'update', group: 'example.io', resource: 'widgets' },
        via('cp-1', 'v1.27.9'),
      ),
    );
  // The old apiserver's last request (a read): the window ends here.
  rows.push(ev('prod', up + 40 * 60_000, { ...pods, verb: 'get' }, via('cp-1', 'v1.27.9')));
  return rows;
}

export function legacyTraffic(): Record<string, unknown>[] {
  const up = LEGACY_UPGRADE.getTime();
  const rows: Record<string, unknown>[] = [];
  for (let h = 1; h <= 48; h++) rows.push(cp('legacy', up - h * HOUR, 'kube-apiserver', 'v1.26.5'));
  rows.push(cp('legacy', up, 'kube-apiserver', 'v1.27.2'));
  for (let h = 1; h <= 24; h++) rows.push(cp('legacy', up + h * HOUR, 'kube-apiserver', 'v1.27.2'));
  const claims = {
    client: 'ml-op',
    kube: 27,
    group: 'resource.k8s.io',
    version: 'v1alpha2',
    resource: 'resourceclaims',
    namespace: 'ml',
  };
  rows.push(ev('legacy', up + HOUR, { ...claims, verb: 'create', name: 'claim-a' }));
  rows.push(ev('legacy', up + 2 * HOUR, { ...claims, verb: 'create', name: 'claim-b' }));
  const fs = {
    client: 'fs-op',
    kube: 27,
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1beta3',
    resource: 'flowschemas',
    namespace: '',
  };
  rows.push(ev('legacy', up - 5 * HOUR, { ...fs, version: 'v1beta2', verb: 'create', name: 'fs-old' }));
  rows.push(ev('legacy', up - 5 * HOUR, { ...fs, version: 'v1beta2', verb: 'create', name: 'fs-new' }));
  rows.push(ev('legacy', up + 3 * HOUR, { ...fs, verb: 'update', name: 'fs-new' }));
  rows.push(
    ev(
      'legacy',
      up + 4 * HOUR,
      {
        client: 'resizer',
        kube: 27,
        verb: 'patch',
        group: 'apps',
        resource: 'deployments',
        namespace: 'web',
        name: 'api',
      },
      {
        request_paths: ['spec.template.spec.containers[].resizePolicy', 'spec.replicas'],
        request_paths_status: 'complete',
      },
    ),
  );
  return rows;
}

export const QUIET_HOURS = [6 * 24 + 3, 6 * 24 + 4]; // Sun 03:00 and 04:00 UTC

export function plannedTraffic(): Record<string, unknown>[] {
  const end = PLAN_END.getTime();
  const start = end - 28 * 86_400_000;
  const rows: Record<string, unknown>[] = [];
  const deploy = { client: 'deployer', kube: 24, group: 'apps', version: 'v1', resource: 'deployments' };
  for (let t = start; t < end; t += HOUR) {
    const d = new Date(t);
    const how = ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();
    if (how % 24 === 0) rows.push(cp('planned', t, 'kube-apiserver', 'v1.24.17'));
    if (QUIET_HOURS.includes(how))
      rows.push(ev('planned', t + 60_000, { ...deploy, verb: 'update', namespace: 'batch-ns' }));
    else
      for (let i = 0; i < 3; i++)
        rows.push(
          ev('planned', t + (i + 1) * 60_000, {
            ...deploy,
            verb: i ? 'patch' : 'update',
            namespace: `team-${i}`,
          }),
        );
  }
  // Reads and another cluster's writes do not count.
  rows.push(ev('planned', start + 3 * HOUR, { ...deploy, verb: 'list' }));
  return rows;
}
