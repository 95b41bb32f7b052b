import { auditRow } from '../../packages/ranking/src/testing.js';

/**
 * Generated traffic with known answers for the emulated version (test/integration/emulation.test.ts),
 * each cluster's control plane on a 1.33 binary for two days:
 *   emu     lists of networking.k8s.io/v1 servicecidrs (GA, new in 1.33) all answered 404, and a
 *           get of ipaddresses answered 404 (a missing object proves nothing): emulated 1.32
 *   native  the same lists answered 200: not emulated
 *   quiet   no request to an API new in 1.31..1.33: unknown
 *   rolled  1.32 until ROLLED_UPGRADE (its lists of servicecidrs 404, as a 1.32 binary answers),
 *           1.33 after it (200): not emulated (only the 1.33 binary's answers count)
 *   twostep 1.32 -> 1.33 at ROLLED_UPGRADE, the 1.33 binary emulating 1.32 (lists 404 after it):
 *           GKE's rollback-safe first step, ready to roll back
 */
const HOUR = 3_600_000;
export const NOW = Date.now();
const START = NOW - 2 * 86_400_000;
export const ROLLED_UPGRADE = new Date(NOW - 86_400_000);
let seq = 0;

function row(cluster: string, t: number, spec: Partial<Parameters<typeof auditRow>[0]>) {
  return auditRow({
    id: `${cluster}-${seq++}`,
    ts: new Date(t),
    cluster,
    client: 'x',
    kube: 0,
    verb: 'get',
    group: '',
    version: 'v1',
    resource: 'pods',
    ...spec,
  });
}

const apiserver = (cluster: string, t: number, version: string) =>
  row(cluster, t, {
    client: 'kube-apiserver',
    clientVersion: version,
    kube: Number(version.split('.')[1]),
    verb: 'list',
    group: 'coordination.k8s.io',
    resource: 'leases',
    user: 'system:apiserver',
    userAgent: `kube-apiserver/${version} (linux/amd64) kubernetes/abc1234`,
  });

const cidrs = (cluster: string, t: number, status: number, verb = 'list') =>
  row(cluster, t, {
    client: 'kubectl',
    kube: 33,
    verb,
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'servicecidrs',
    namespace: '',
    name: '',
    status,
  });

export function emulationTraffic(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const cluster of ['emu', 'native', 'quiet'])
    for (let t = START; t < NOW - HOUR; t += HOUR) rows.push(apiserver(cluster, t, 'v1.33.1'));
  for (let i = 0; i < 4; i++)
    rows.push(cidrs('emu', START + (i + 1) * HOUR + 60_000, 404, i ? 'list' : 'watch'));
  rows.push({
    ...cidrs('emu', START + 5 * HOUR, 404, 'get'),
    resource: 'ipaddresses',
    name: 'missing',
  });
  for (let i = 0; i < 2; i++) rows.push(cidrs('native', START + (i + 1) * HOUR + 60_000, 200));
  // An unrelated 404 (an old API, a CRD) says nothing.
  rows.push({ ...cidrs('quiet', START + HOUR, 404), api_group: 'example.io', resource: 'widgets' });
  const up = ROLLED_UPGRADE.getTime();
  for (let t = START; t < NOW - HOUR; t += HOUR)
    rows.push(apiserver('rolled', t, t < up ? 'v1.32.4' : 'v1.33.1'));
  rows.push(cidrs('rolled', up - 3 * HOUR, 404), cidrs('rolled', up - 2 * HOUR, 404));
  rows.push(cidrs('rolled', up + 3 * HOUR, 200));
  for (let t = START; t < NOW - HOUR; t += HOUR)
    rows.push(apiserver('twostep', t, t < up ? 'v1.32.4' : 'v1.33.1'));
  rows.push(cidrs('twostep', up + 2 * HOUR, 404), cidrs('twostep', up + 3 * HOUR, 404));
  return rows;
}
