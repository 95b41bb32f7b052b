// Which Kubernetes API schema a client was built against, from what its UA says, or why that is
// unknown. Only unambiguous forms give a version: a guess could make an old client look new.
import { helmKubeVersion } from './tables.js';
import type { KubeReason } from './types.js';
import { kubeFromClientGoTag, kubeFromRelease, type ParsedVersion, parseVersion } from './version.js';

export interface KubeVerdict {
  kubeVersion: string | null;
  reason: KubeReason;
}

/** What follows the version in `<name>/<version> (<os>/<arch>) kubernetes/<commit>[/<suffix>]`. */
export interface Tail {
  platform: string;
  commit: string;
  suffix: string;
  /** True when 'kubernetes/<commit>' or 'client-go/<tag>' is present (client-go's form). */
  clientGoForm: boolean;
  /** A client-go module tag the UA states itself: `client-go/v0.31.0`, or `kubernetes/v0.33.0` in the commit slot. */
  clientGoTag: string;
}

// Built from kubernetes/kubernetes, so their version is a Kubernetes release whatever the UA shape.
export const KUBE_COMPONENTS: ReadonlySet<string> = new Set([
  'kubectl',
  'kubelet',
  'kubeadm',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kube-proxy',
  'kube-probe',
  'kube-aggregator',
  'cloud-controller-manager',
  'hyperkube',
]);

const known = (kubeVersion: string | null, otherwise: KubeReason): KubeVerdict =>
  kubeVersion === null ? { kubeVersion, reason: otherwise } : { kubeVersion, reason: '' };
export const NO_VERSION: KubeVerdict = { kubeVersion: null, reason: 'no-version' };

/** The Kubernetes schema of a `<name>/<version>` client; `v` is null when the UA has no usable version. */
export function kubeVersionOf(key: string, family: string, v: ParsedVersion | null, tail: Tail): KubeVerdict {
  // A tag the UA names outright wins over the program's version, which is then its own (ig/v0.40.0).
  if (tail.clientGoTag !== '') {
    const tag = parseVersion(tail.clientGoTag);
    if (tag.kind !== 'ok') return { kubeVersion: null, reason: 'not-a-release' };
    return known(kubeFromClientGoTag(tag.version) ?? kubeFromRelease(tag.version), 'not-a-release');
  }
  if (v === null) return NO_VERSION;
  if (family === 'helm') return known(v.major >= 3 ? helmKubeVersion(v.major, v.minor) : null, 'unmapped');
  if (KUBE_COMPONENTS.has(key)) return known(kubeFromRelease(v), 'not-a-release');
  // Outside client-go's form a version is the program's own (Talos v1.14 is not Kubernetes 1.14).
  if (!tail.clientGoForm) return { kubeVersion: null, reason: 'own-version' };
  // An unstamped commit means Kubernetes' build did not stamp client-go: whoever set the version set
  // their own (node-problem-detector/v1.4.0 ... kubernetes/$Format is not a 1.4 client).
  if (tail.commit === '$Format') return { kubeVersion: null, reason: 'unstamped-commit' };
  // Otherwise client-go's version variable holds a Kubernetes release, or a client-go tag a project stamped.
  return known(kubeFromRelease(v) ?? kubeFromClientGoTag(v), 'not-a-release');
}
