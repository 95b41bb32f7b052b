// Curated maps from a client library's own version to the Kubernetes minor whose API it was generated
// or compiled against. Rows not listed are unknown on purpose (null), never guessed. Sources: README.md.

/**
 * Helm 'major.minor' -> Kubernetes minor of the client-go it is compiled against. Source: helm.sh
 * "Helm Version Support Policy" (docs/topics/version_skew): each Helm minor supports 1.N.x down to n-3,
 * where 1.N is the client it compiles against (checked against helm's go.mod for 3.16: client-go v0.31.1);
 * Helm 4.0.0 "uses the Kubernetes 1.34.1 client" (same page).
 */
const HELM_KUBE_MINOR: ReadonlyMap<string, number> = new Map([
  ['3.0', 16],
  ['3.1', 17],
  ['3.2', 18],
  ['3.3', 18],
  ['3.4', 19],
  ['3.5', 20],
  ['3.6', 21],
  ['3.7', 22],
  ['3.8', 23],
  ['3.9', 24],
  ['3.10', 25],
  ['3.11', 26],
  ['3.12', 27],
  ['3.13', 28],
  ['3.14', 29],
  ['3.15', 30],
  ['3.16', 31],
  ['3.17', 32],
  ['3.18', 33],
  ['3.19', 34],
  ['3.20', 35],
  ['4.0', 34],
]);

/**
 * Kubernetes Java client major -> Kubernetes minor. Source: kubernetes-client/java wiki
 * "2. Versioning and Compatibility" (the ✓ column; note "13.0.0 was based on Kubernetes 1.20 rather than
 * 1.21"), README ("Starting from 20.0.0 (Kubernetes 1.28)"), issues #3351 (21 generated from 1.30; no
 * release targets 1.29), #3733 (22 -> 1.31), #4239 and #4496 (25 -> 1.34), #4511 (26 -> 1.35).
 * 23 -> 1.32 is the ✓ of the March 2025 wiki revision; 24 -> 1.33 is inferred (the one release between).
 */
const JAVA_KUBE_MINOR: ReadonlyMap<number, number> = new Map([
  [5, 13],
  [6, 14],
  [7, 15],
  [8, 16],
  [9, 17],
  [10, 18],
  [11, 19],
  [12, 20],
  [13, 20],
  [14, 22],
  [15, 23],
  [16, 24],
  [17, 25],
  [18, 26],
  [19, 27],
  [20, 28],
  [21, 30],
  [22, 31],
  [23, 32],
  [24, 33],
  [25, 34],
  [26, 35],
]);

/** Largest plausible Kubernetes minor for rule-based (not table) mappings; keeps garbage out of kubeMinor. */
const MAX_RULE_MINOR = 99;

export function helmKubeVersion(major: number, minor: number): string | null {
  const kube = HELM_KUBE_MINOR.get(`${major}.${minor}`);
  return kube === undefined ? null : `1.${kube}.0`;
}

export function javaKubeVersion(major: number): string | null {
  const kube = JAVA_KUBE_MINOR.get(major);
  return kube === undefined ? null : `1.${kube}.0`;
}

/**
 * kubernetes-client/python README, "Homogenizing the Kubernetes Python Client versions": up to v12 the
 * major was 4 behind the Kubernetes minor (12.0 -> 1.16, 8.0 -> 1.12); from v17 the version is vY.Z.P
 * for Kubernetes v1.Y.Z. v13-v16 were never released.
 */
export function pythonKubeVersion(major: number, minor: number): string | null {
  if (major >= 1 && major <= 12) return `1.${major + 4}.0`;
  if (major >= 17 && major <= MAX_RULE_MINOR) return `1.${major}.${minor}`;
  return null;
}
