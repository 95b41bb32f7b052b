import { cap, cleanUserAgent } from './sanitize.js';
import { helmKubeVersion, javaKubeVersion, pythonKubeVersion } from './tables.js';
import type { ClientFamily, ClientIdentity } from './types.js';
import {
  kubeFromClientGoTag,
  kubeFromRelease,
  kubeMinorOf,
  type ParsedVersion,
  parseVersion,
  type VersionParse,
} from './version.js';

const MAX_NAME = 128;
const MAX_COMMIT = 40;
const MAX_SUFFIX = 256;
const MAX_PLATFORM = 64;

type Reasoned = VersionParse | { kind: 'not-kubernetes' };
const NOT_KUBERNETES: Reasoned = { kind: 'not-kubernetes' };
const MISSING: Reasoned = { kind: 'missing' };

/** What follows the version in client-go's `<name>/<version> (<os>/<arch>) kubernetes/<commit>[/<suffix>]`. */
interface Tail {
  platform: string;
  commit: string;
  suffix: string;
  /** True when 'kubernetes/<commit>' is present: the version then came from client-go's version variable. */
  clientGoForm: boolean;
}
const NO_TAIL: Tail = { platform: '', commit: '', suffix: '', clientGoForm: false };

// Built from kubernetes/kubernetes, so their version is a Kubernetes release whatever the UA shape.
const KUBE_COMPONENTS: ReadonlySet<string> = new Set([
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

// Families told by program name (lower-cased); other names are told by the UA's shape.
const NAME_FAMILY: ReadonlyMap<string, ClientFamily> = new Map([
  ['helm', 'helm'],
  ['kube-probe', 'kube-probe'],
  ['go-http-client', 'go-http'],
  ['curl', 'curl'],
  ['mozilla', 'browser'],
]);

const PLATFORM_RE = /^[A-Za-z0-9_.-]{1,30}\/[A-Za-z0-9_.-]{1,30}$/;
const TERRAFORM_RE = /(?:^|\s)Terraform\/(\S+)/;
const PYTHON_RE = /^(?:OpenAPI-Generator|Swagger-Codegen)\/([^/\s]+)\/python$/;
const PEP440_PRE_RE = /^(\d+\.\d+\.\d+)((?:a|b|rc)\d+)$/;
const JAVA_PREFIX = 'Kubernetes Java Client/';

/** Who sent a request, from its User-Agent. Never throws; every field is bounded. */
export function parseUserAgent(ua: string | undefined | null): ClientIdentity {
  const s = cleanUserAgent(ua);
  if (s === '') return identity('unknown', 'none', MISSING, null, NO_TAIL);
  return parseLibraryDefault(s) ?? parseProduct(s);
}

/** Client libraries with their own fixed UA formats (k8s-facts §6). */
function parseLibraryDefault(s: string): ClientIdentity | null {
  const tf = TERRAFORM_RE.exec(s);
  if (tf) return identity('terraform', 'terraform', parseVersion(tf[1] ?? ''), null, NO_TAIL);

  if (s.startsWith(JAVA_PREFIX)) {
    const v = parseVersion(firstWord(s.slice(JAVA_PREFIX.length)));
    return identity(
      'java-client',
      'java',
      v,
      v.kind === 'ok' ? javaKubeVersion(v.version.major) : null,
      NO_TAIL,
    );
  }

  const py = PYTHON_RE.exec(s);
  if (py) {
    // PyPI pre-releases are written '27.2.0b1'; semver wants '27.2.0-b1'.
    const v = parseVersion((py[1] ?? '').replace(PEP440_PRE_RE, '$1-$2'));
    const kube = v.kind === 'ok' ? pythonKubeVersion(v.version.major, v.version.minor) : null;
    return identity('python-client', 'python', v, kube, NO_TAIL);
  }
  return null;
}

/** `<name>/<version>[ rest]`, the shape of client-go's default and of most other clients. */
function parseProduct(s: string): ClientIdentity {
  const slash = s.indexOf('/');
  // A bare program name (`kuberay-operator`): it says who, not which version.
  if (slash === -1) return identity(s, 'other', MISSING, null, NO_TAIL);

  const name = s.slice(0, slash).trim();
  const rest = s.slice(slash + 1);
  const space = rest.indexOf(' ');
  const token = space === -1 ? rest : rest.slice(0, space);
  const tail = space === -1 ? NO_TAIL : readTail(rest.slice(space + 1));
  const key = programKey(name);
  const named = NAME_FAMILY.get(key);

  // Go-http-client/1.1 is the HTTP version and Mozilla/5.0 a compatibility token, not program versions.
  if (named === 'go-http' || named === 'browser') return identity(name, named, NOT_KUBERNETES, null, tail);

  const v = parseVersion(token);
  const clientGo = tail.clientGoForm || KUBE_COMPONENTS.has(key) || v.kind === 'placeholder';
  const family = named ?? (clientGo ? 'client-go' : 'other');
  const kube = v.kind === 'ok' ? kubeVersionOf(key, family, v.version, tail) : null;
  return identity(name, family, v, kube, tail);
}

function kubeVersionOf(key: string, family: string, v: ParsedVersion, tail: Tail): string | null {
  if (family === 'helm' && v.major >= 3) return helmKubeVersion(v.major, v.minor);
  if (KUBE_COMPONENTS.has(key)) return kubeFromRelease(v);
  // client-go's version variable holds a Kubernetes release, or a client-go tag when a project stamps one.
  // Outside that form a version is the program's own (Talos v1.14 is not Kubernetes 1.14).
  if (tail.clientGoForm) return kubeFromRelease(v) ?? kubeFromClientGoTag(v);
  return null;
}

function readTail(text: string): Tail {
  let t = text.trimStart();
  let platform = '';
  if (t.startsWith('(')) {
    const close = t.indexOf(')');
    if (close !== -1) {
      const inner = t.slice(1, close);
      if (inner.length <= MAX_PLATFORM && PLATFORM_RE.test(inner)) platform = inner;
      t = t.slice(close + 1).trimStart();
    }
  }
  if (!t.startsWith('kubernetes/')) return { ...NO_TAIL, platform };
  const after = t.slice('kubernetes/'.length);
  const end = after.search(/[/ ]/);
  const commit = end === -1 ? after : after.slice(0, end);
  // rest.AddUserAgent appends '/<suffix>' and may be applied more than once: keep them all, '/'-joined.
  const suffix = end === -1 ? '' : after.slice(end + 1).trim();
  return { platform, commit: cap(commit, MAX_COMMIT), suffix: cap(suffix, MAX_SUFFIX), clientGoForm: true };
}

/** Lower-cased program name for lookups; Windows argv[0] basenames end in '.exe'. */
function programKey(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.exe') ? lower.slice(0, -4) : lower;
}

function firstWord(s: string): string {
  const space = s.indexOf(' ');
  return space === -1 ? s : s.slice(0, space);
}

function identity(
  name: string,
  family: string,
  v: Reasoned,
  kubeVersion: string | null,
  tail: Tail,
): ClientIdentity {
  const ok = v.kind === 'ok';
  return {
    name: cap(name, MAX_NAME) || 'unknown',
    family,
    version: ok ? v.version.text : null,
    versionReason: ok ? '' : v.kind,
    kubeVersion,
    kubeMinor: kubeMinorOf(kubeVersion),
    platform: tail.platform,
    commit: tail.commit,
    suffix: tail.suffix,
  };
}
