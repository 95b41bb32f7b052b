/**
 * Why `version` is null. Invariant: `versionReason === ''` exactly when `version !== null`.
 * - missing:        no User-Agent at all, or one that names a program but gives no version (`kuberay-operator`)
 * - placeholder:    client-go defaults for binaries built without version ldflags (`v0.0.0`, `unknown`)
 * - unparseable:    a version token is there but is not a version (`foo/latest`, `foo/01.2`)
 * - not-kubernetes: the number is not a program version (`Go-http-client/1.1` is the HTTP version,
 *                   `Mozilla/5.0` is a compatibility token)
 */
export type VersionReason = '' | 'missing' | 'placeholder' | 'unparseable' | 'not-kubernetes';

/**
 * Why `kubeVersion` is null. Invariant: `kubeReason === ''` exactly when `kubeVersion !== null`. Every
 * ambiguous form gets a reason rather than a guess: a wrong guess could make an old client look new.
 * - no-version:       the UA gives no program version (see `versionReason`)
 * - own-version:      the version is the program's own, outside client-go's default form (Talos, curl)
 * - unstamped-commit: client-go's form with `kubernetes/$Format`: the version was stamped by the
 *                     program's build, not Kubernetes', so it is the program's (node-problem-detector/v1.4.0)
 * - not-a-release:    in client-go's form, but neither a Kubernetes release (1.x) nor a client-go tag
 *                     (v0.17+): kube-state-metrics/v2.15.0, an OpenShift kubectl/4.16.0, hyperkube/v0.9.0
 * - unmapped:         a client library version the curated tables do not list (Helm 3.99, Java 99)
 */
export type KubeReason =
  | ''
  | 'no-version'
  | 'own-version'
  | 'unstamped-commit'
  | 'not-a-release'
  | 'unmapped';

/** The fixed set of families; `family` is typed `string` so stored rows stay plain data. */
export const CLIENT_FAMILIES = [
  'client-go',
  'python',
  'java',
  'helm',
  'terraform',
  'go-http',
  'kube-probe',
  'browser',
  'curl',
  'other',
  'none',
] as const;
export type ClientFamily = (typeof CLIENT_FAMILIES)[number];

export interface ClientIdentity {
  /** The program: UA up to its first '/' (the default field manager), or a canonical name for known libraries. */
  name: string;
  /** One of CLIENT_FAMILIES. */
  family: string;
  /** The program's version as valid semver (no leading 'v', prerelease/build kept), or null. */
  version: string | null;
  versionReason: VersionReason;
  /** Kubernetes API schema the client was built against, 'major.minor.patch' (patch 0 when only the minor is known). */
  kubeVersion: string | null;
  /** Minor of kubeVersion, 0 when unknown. */
  kubeMinor: number;
  kubeReason: KubeReason;
  /** 'linux/amd64' from the client-go form, else ''. */
  platform: string;
  /**
   * Short commit from 'kubernetes/<commit>' ('$Format' for unstamped builds; a client-go tag such as
   * 'v0.33.0' when a project writes that there), else ''.
   */
  commit: string;
  /** Everything after the commit (rest.AddUserAgent suffixes joined by '/'), else ''. */
  suffix: string;
}
