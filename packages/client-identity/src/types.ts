/**
 * Why `version` is null. Invariant: `versionReason === ''` exactly when `version !== null`.
 * - missing:        no User-Agent at all, or one that names a program but gives no version (`kuberay-operator`)
 * - placeholder:    client-go defaults for binaries built without version ldflags (`v0.0.0`, `unknown`)
 * - unparseable:    a version token is there but is not a version (`foo/latest`, `foo/01.2`)
 * - not-kubernetes: the number is not a program version (`Go-http-client/1.1` is the HTTP version,
 *                   `Mozilla/5.0` is a compatibility token)
 */
export type VersionReason = '' | 'missing' | 'placeholder' | 'unparseable' | 'not-kubernetes';

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
  /** 'linux/amd64' from the client-go form, else ''. */
  platform: string;
  /** Short commit from 'kubernetes/<commit>' ('$Format' for unstamped builds), else ''. */
  commit: string;
  /** Everything after the commit (rest.AddUserAgent suffixes joined by '/'), else ''. */
  suffix: string;
}
