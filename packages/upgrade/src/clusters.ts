import { minorOf, minorText } from './version.js';

/** One row of queries/clusters_versions.sql: a component at one version, over the window. */
export interface VersionRow {
  cluster: string;
  component: string;
  version: string;
  apiserver: string;
  apiserver_version: string;
  requests: number;
  /** Distinct kubelet users (system:node:<name>); 0 for other components. */
  nodes: number;
  first_seen: string;
  last_seen: string;
}

/** The components whose version is the control plane's (kubelets are nodes: they may lag). */
export const CONTROL_PLANE = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'cloud-controller-manager',
];

export interface MinorSpan {
  minor: string;
  firstSeen: string;
  lastSeen: string;
  requests: number;
}

/** An upgrade moment: the first control-plane request of a new minor. */
export interface Upgrade {
  from: string;
  to: string;
  at: string;
  /** The last control-plane request of the old minor (the roll's end), never before `at`. */
  completedAt: string;
}

export interface NodeSkew {
  minor: string;
  /** Distinct kubelet users (system:node:<name>) at this minor (at least: the largest per apiserver). */
  nodes: number;
  lastSeen: string;
  /** Minors behind the control plane. */
  behind: number;
}

export interface ApiserverSeen {
  apiserver: string;
  version: string;
  firstSeen: string;
  lastSeen: string;
  requests: number;
}

export interface ClusterVersions {
  cluster: string;
  /** The control plane's minor at the end of the window; null when no control-plane traffic names one. */
  current: string | null;
  timeline: MinorSpan[];
  upgrades: Upgrade[];
  nodes: NodeSkew[];
  /** Kubelets more minors behind than upstream supports (3 from 1.28, 2 before). */
  unsupportedSkew: boolean;
  apiservers: ApiserverSeen[];
}

const maxIso = (a: string, b: string) => (a > b ? a : b);
const minIso = (a: string, b: string) => (a < b ? a : b);

function spans(rows: VersionRow[]): Map<number, MinorSpan> {
  const out = new Map<number, MinorSpan>();
  for (const r of rows) {
    const minor = minorOf(r.version);
    if (minor === undefined) continue;
    const s = out.get(minor);
    if (!s)
      out.set(minor, {
        minor: minorText(minor),
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        requests: Number(r.requests),
      });
    else {
      s.firstSeen = minIso(s.firstSeen, r.first_seen);
      s.lastSeen = maxIso(s.lastSeen, r.last_seen);
      s.requests += Number(r.requests);
    }
  }
  return out;
}

/**
 * Per cluster: the control plane's minors over time, its upgrade moments, node skew and the
 * apiservers the sources named. The current minor is the one seen last (a rollback shows as the
 * old minor seen last again).
 */
export function deriveClusters(rows: readonly VersionRow[]): ClusterVersions[] {
  const byCluster = new Map<string, VersionRow[]>();
  for (const r of rows) {
    const list = byCluster.get(r.cluster);
    if (list) list.push(r);
    else byCluster.set(r.cluster, [r]);
  }
  return [...byCluster.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cluster, rs]) => deriveCluster(cluster, rs));
}

function deriveCluster(cluster: string, rows: VersionRow[]): ClusterVersions {
  const cp = spans(rows.filter((r) => CONTROL_PLANE.includes(r.component)));
  const timeline = [...cp.values()].sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
  const latest = [...cp.entries()].sort(
    ([ma, a], [mb, b]) => b.lastSeen.localeCompare(a.lastSeen) || mb - ma,
  )[0];
  const currentMinor = latest?.[0];
  const upgrades: Upgrade[] = [];
  for (let i = 1; i < timeline.length; i++) {
    const prev = timeline[i - 1]!;
    const next = timeline[i]!;
    if (minorOf(next.minor)! <= minorOf(prev.minor)!) continue;
    upgrades.push({
      from: prev.minor,
      to: next.minor,
      at: next.firstSeen,
      completedAt: maxIso(prev.lastSeen, next.firstSeen),
    });
  }
  const kubelets = new Map<number, NodeSkew>();
  for (const r of rows.filter((x) => x.component === 'kubelet')) {
    const minor = minorOf(r.version);
    if (minor === undefined) continue;
    const k = kubelets.get(minor) ?? {
      minor: minorText(minor),
      nodes: 0,
      lastSeen: r.last_seen,
      behind: currentMinor === undefined ? 0 : Math.max(0, currentMinor - minor),
    };
    k.nodes = Math.max(k.nodes, Number(r.nodes));
    k.lastSeen = maxIso(k.lastSeen, r.last_seen);
    kubelets.set(minor, k);
  }
  const nodes = [...kubelets.values()].sort((a, b) => b.behind - a.behind);
  const allowed = currentMinor !== undefined && currentMinor >= 28 ? 3 : 2;
  const apiservers = new Map<string, ApiserverSeen>();
  for (const r of rows.filter((x) => x.apiserver !== '')) {
    const key = `${r.apiserver}\u0000${r.apiserver_version}`;
    const a = apiservers.get(key);
    if (!a)
      apiservers.set(key, {
        apiserver: r.apiserver,
        version: r.apiserver_version,
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        requests: Number(r.requests),
      });
    else {
      a.firstSeen = minIso(a.firstSeen, r.first_seen);
      a.lastSeen = maxIso(a.lastSeen, r.last_seen);
      a.requests += Number(r.requests);
    }
  }
  return {
    cluster,
    current: currentMinor === undefined ? null : minorText(currentMinor),
    timeline,
    upgrades,
    nodes,
    unsupportedSkew: nodes.some((n) => n.behind > allowed),
    apiservers: [...apiservers.values()].sort(
      (a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.apiserver.localeCompare(b.apiserver),
    ),
  };
}
