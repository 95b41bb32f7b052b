import { KUBE_COMPONENTS, type KubeVerdict, kubeVersionOf, NO_VERSION, type Tail } from './kube.js';
import { cap, cleanUserAgent } from './sanitize.js';
import { javaKubeVersion, pythonKubeVersion } from './tables.js';
import type { ClientFamily, ClientIdentity } from './types.js';
import { kubeMinorOf, parseVersion, type VersionParse } from './version.js';

const MAX_NAME = 128;
const MAX_COMMIT = 40;
const MAX_SUFFIX = 256;
const MAX_PLATFORM = 64;

type Reasoned = VersionParse | { kind: 'not-kubernetes' };
const NOT_KUBERNETES: Reasoned = { kind: 'not-kubernetes' };
const MISSING: Reasoned = { kind: 'missing' };
const NO_TAIL: Tail = { platform: '', commit: '', suffix: '', clientGoForm: false, clientGoTag: '' };
const OWN_VERSION: KubeVerdict = { kubeVersion: null, reason: 'own-version' };

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
const JAVA_NAME = 'Kubernetes Java Client';
// A commit slot holding a version ('v0.33.0') rather than a short hash: the project wrote its client-go tag.
const TAG_IN_COMMIT_RE = /^v\d+\.\d+\.\d+$/;

/** Who sent a request, from its User-Agent. Never throws; every field is bounded. */
export function parseUserAgent(ua: string | undefined | null): ClientIdentity {
  const s = cleanUserAgent(ua);
  if (s === '') return identity('unknown', 'none', MISSING, NO_VERSION, NO_TAIL);
  return parseLibraryDefault(s) ?? parseProduct(s);
}

/** Client libraries with their own fixed UA formats (k8s-facts §6). */
function parseLibraryDefault(s: string): ClientIdentity | null {
  const tf = TERRAFORM_RE.exec(s);
  if (tf) return identity('terraform', 'terraform', parseVersion(tf[1] ?? ''), OWN_VERSION, NO_TAIL);

  // `Kubernetes Java Client/<version>`, or the bare name some releases send (no version: unknown).
  if (s === JAVA_NAME || s.startsWith(`${JAVA_NAME}/`)) {
    const v = parseVersion(firstWord(s.slice(JAVA_NAME.length + 1)));
    const kube = v.kind === 'ok' ? verdict(javaKubeVersion(v.version.major), 'unmapped') : NO_VERSION;
    return identity('java-client', 'java', v, kube, NO_TAIL);
  }

  const py = PYTHON_RE.exec(s);
  if (py) {
    // PyPI pre-releases are written '27.2.0b1'; semver wants '27.2.0-b1'.
    const v = parseVersion((py[1] ?? '').replace(PEP440_PRE_RE, '$1-$2'));
    const kube =
      v.kind === 'ok' ? verdict(pythonKubeVersion(v.version.major, v.version.minor), 'unmapped') : NO_VERSION;
    return identity('python-client', 'python', v, kube, NO_TAIL);
  }
  return null;
}

const verdict = (kubeVersion: string | null, otherwise: KubeVerdict['reason']): KubeVerdict =>
  kubeVersion === null ? { kubeVersion, reason: otherwise } : { kubeVersion, reason: '' };

/** `<name>/<version>[ rest]`, the shape of client-go's default and of most other clients. */
function parseProduct(s: string): ClientIdentity {
  const slash = s.indexOf('/');
  // A bare program name (`kuberay-operator`): it says who, not which version.
  if (slash === -1) return identity(s, 'other', MISSING, NO_VERSION, NO_TAIL);

  const name = s.slice(0, slash).trim();
  const rest = s.slice(slash + 1);
  const space = rest.indexOf(' ');
  let token = space === -1 ? rest : rest.slice(0, space);
  const tail = space === -1 ? NO_TAIL : readTail(rest.slice(space + 1));
  const key = programKey(name);
  const named = NAME_FAMILY.get(key);

  // Go-http-client/1.1 is the HTTP version and Mozilla/5.0 a compatibility token, not program versions.
  if (named === 'go-http' || named === 'browser')
    return identity(name, named, NOT_KUBERNETES, NO_VERSION, tail);

  // The prober sends version.Info's Major.Minor, whose minor ends in '+' on builds with extras (GKE: 1.10+).
  if (key === 'kube-probe' && token.endsWith('+')) token = token.slice(0, -1);
  const v = parseVersion(token);
  const clientGo = tail.clientGoForm || KUBE_COMPONENTS.has(key) || v.kind === 'placeholder';
  const family = named ?? (clientGo ? 'client-go' : 'other');
  const kube = kubeVersionOf(key, family, v.kind === 'ok' ? v.version : null, tail);
  return identity(name, family, v, kube, tail);
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
  // `<program>/<version> (<os>/<arch>) client-go/<tag>`: the form pulumi-kubernetes sets.
  if (t.startsWith('client-go/')) {
    const after = t.slice('client-go/'.length);
    const end = after.indexOf(' ');
    const tag = cap(end === -1 ? after : after.slice(0, end), MAX_COMMIT);
    const suffix = end === -1 ? '' : after.slice(end + 1).trim();
    return { platform, commit: '', suffix: cap(suffix, MAX_SUFFIX), clientGoForm: true, clientGoTag: tag };
  }
  if (!t.startsWith('kubernetes/')) return { ...NO_TAIL, platform };
  const after = t.slice('kubernetes/'.length);
  const end = after.search(/[/ ]/);
  const commit = cap(end === -1 ? after : after.slice(0, end), MAX_COMMIT);
  // rest.AddUserAgent appends '/<suffix>' and may be applied more than once: keep them all, '/'-joined.
  const suffix = end === -1 ? '' : after.slice(end + 1).trim();
  const clientGoTag = TAG_IN_COMMIT_RE.test(commit) ? commit : '';
  return { platform, commit, suffix: cap(suffix, MAX_SUFFIX), clientGoForm: true, clientGoTag };
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

function identity(name: string, family: string, v: Reasoned, kube: KubeVerdict, tail: Tail): ClientIdentity {
  const ok = v.kind === 'ok';
  return {
    name: cap(name, MAX_NAME) || 'unknown',
    family,
    version: ok ? v.version.text : null,
    versionReason: ok ? '' : v.kind,
    kubeVersion: kube.kubeVersion,
    kubeMinor: kubeMinorOf(kube.kubeVersion),
    kubeReason: kube.reason,
    platform: tail.platform,
    commit: tail.commit,
    suffix: tail.suffix,
  };
}
