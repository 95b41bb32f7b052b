import semver from 'semver';

export interface ParsedVersion {
  /** Normalised, valid semver: '1.21' -> '1.21.0', 'v2.12.0-189-g5a4d766' -> '2.12.0-189-g5a4d766'. */
  text: string;
  major: number;
  minor: number;
  patch: number;
}

export type VersionParse =
  | { kind: 'ok'; version: ParsedVersion }
  | { kind: 'missing' | 'placeholder' | 'unparseable' };

/** Longer version tokens are not versions; also keeps stored values bounded. */
export const MAX_VERSION_LENGTH = 128;

// Numeric parts capped at 9 digits so they stay exact integers; prerelease/build checked by semver below.
const VERSION_RE =
  /^[vV]?(0|[1-9]\d{0,8})(?:\.(0|[1-9]\d{0,8}))?(?:\.(0|[1-9]\d{0,8}))?((?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;
// client-go's defaults when ldflags are not set: gitVersion 'v0.0.0-master+$Format:%H$' (cut at '-' in
// the UA), and 'unknown' for an empty gitVersion. 0.0.0 is never a real release, so any 0.0.0 counts.
const PLACEHOLDER_RE = /^[vV]?0\.0\.0(?:$|[-+])/;
const NOT_SEMVER = { kind: 'unparseable' } as const;

/** Reads one version token as written by a client. */
export function parseVersion(token: string): VersionParse {
  if (token === '') return { kind: 'missing' };
  if (token === 'unknown' || PLACEHOLDER_RE.test(token)) return { kind: 'placeholder' };
  if (token.length > MAX_VERSION_LENGTH) return NOT_SEMVER;
  const m = VERSION_RE.exec(token);
  if (!m) return NOT_SEMVER;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  const patch = Number(m[3] ?? 0);
  const text = `${major}.${minor}.${patch}${m[4] ?? ''}`;
  // The regex accepts e.g. '-01' or '-a..b'; semver rejects them, so the invariant "version is semver" holds.
  if (m[4] && semver.valid(text) === null) return NOT_SEMVER;
  return { kind: 'ok', version: { text, major, minor, patch } };
}

/** A Kubernetes release version (kubectl, kubelet, OpenShift 'v1.20.0+bd9e442') -> '1.20.0'. */
export function kubeFromRelease(v: ParsedVersion): string | null {
  return v.major === 1 ? `1.${v.minor}.${v.patch}` : null;
}

/** client-go module tags v0.X.Y are Kubernetes 1.X.Y from v0.17 on (k8s-facts §5). */
export function kubeFromClientGoTag(v: ParsedVersion): string | null {
  return v.major === 0 && v.minor >= 17 ? `1.${v.minor}.${v.patch}` : null;
}

const MINOR_RE = /^[vV]?(\d{1,9})\.(\d{1,9})/;

/** Minor of a Kubernetes version ('1.17.3', 'v1.21', '1.20.0+x') -> 17; 0 when null, not 1.x, or unreadable. */
export function kubeMinorOf(version: string | null): number {
  if (!version) return 0;
  const m = MINOR_RE.exec(version);
  if (m?.[1] !== '1') return 0;
  const minor = Number(m[2]);
  // Stored as UInt16; anything this large is not a Kubernetes minor.
  return minor < 1000 ? minor : 0;
}
