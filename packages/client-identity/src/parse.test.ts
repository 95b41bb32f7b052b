import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubeMinorOf, parseUserAgent } from './index.js';

// The 51 real user agents of ../shared/data/user-agents.txt, committed (pnpm data:check keeps it equal).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const uaFile = path.resolve(repoRoot, 'packages/client-identity/testdata/user-agents.txt');

type Row = [
  ua: string,
  name: string,
  family: string,
  version: string | null,
  reason: string,
  kubeVersion: string | null,
  platform: string,
  commit: string,
  suffix: string,
];

// One expectation per line of user-agents.txt (real strings; provenance in user-agents.SOURCES.md).
const REAL: Row[] = [
  [
    'kubectl/v1.17.3 (darwin/amd64) kubernetes/06ad960',
    'kubectl',
    'client-go',
    '1.17.3',
    '',
    '1.17.3',
    'darwin/amd64',
    '06ad960',
    '',
  ],
  [
    'kubeadm/v1.16.2 (linux/amd64) kubernetes/c97fe50',
    'kubeadm',
    'client-go',
    '1.16.2',
    '',
    '1.16.2',
    'linux/amd64',
    'c97fe50',
    '',
  ],
  [
    'kube-controller-manager/v1.17.3 (linux/amd64) kubernetes/06ad960/tokens-controller',
    'kube-controller-manager',
    'client-go',
    '1.17.3',
    '',
    '1.17.3',
    'linux/amd64',
    '06ad960',
    'tokens-controller',
  ],
  ['kubectl/v1.26.1', 'kubectl', 'client-go', '1.26.1', '', '1.26.1', '', '', ''],
  [
    'elastic-agent/v0.0.0 (linux/amd64) kubernetes/$Format',
    'elastic-agent',
    'client-go',
    null,
    'placeholder',
    null,
    'linux/amd64',
    '$Format',
    '',
  ],
  [
    'approver/v0.0.0 (linux/amd64) kubernetes/$Format/leader-election',
    'approver',
    'client-go',
    null,
    'placeholder',
    null,
    'linux/amd64',
    '$Format',
    'leader-election',
  ],
  ['gke-master-healthcheck', 'gke-master-healthcheck', 'other', null, 'missing', null, '', '', ''],
  [
    'Talos/v1.14.0-alpha.2-8-gba926c6ce-dirty',
    'Talos',
    'other',
    '1.14.0-alpha.2-8-gba926c6ce-dirty',
    '',
    null,
    '',
    '',
    '',
  ],
  [
    'kubernetes-ingress-controller/v2.12.0-189-g5a4d76638',
    'kubernetes-ingress-controller',
    'other',
    '2.12.0-189-g5a4d76638',
    '',
    null,
    '',
    '',
    '',
  ],
  [
    'main/v0.0.0 (linux/arm64) kubernetes/$Format',
    'main',
    'client-go',
    null,
    'placeholder',
    null,
    'linux/arm64',
    '$Format',
    '',
  ],
  [
    'event-generator/v0.0.0 (linux/amd64) kubernetes/$Format',
    'event-generator',
    'client-go',
    null,
    'placeholder',
    null,
    'linux/amd64',
    '$Format',
    '',
  ],
  [
    'controller/v0.0.0 (linux/amd64) kubernetes/$Format',
    'controller',
    'client-go',
    null,
    'placeholder',
    null,
    'linux/amd64',
    '$Format',
    '',
  ],
  ['manager/v0.0.0', 'manager', 'client-go', null, 'placeholder', null, '', '', ''],
  ['kuberay-operator', 'kuberay-operator', 'other', null, 'missing', null, '', '', ''],
  ['Go-http-client/1.1', 'Go-http-client', 'go-http', null, 'not-kubernetes', null, '', '', ''],
  [
    'datadog-cluster-agent/v0.0.0',
    'datadog-cluster-agent',
    'client-go',
    null,
    'placeholder',
    null,
    '',
    '',
    '',
  ],
  [
    'kube-controller-manager/v1.20.0+bd9e442 (linux/amd64) kubernetes/bd9e442/kube-controller-manager',
    'kube-controller-manager',
    'client-go',
    '1.20.0+bd9e442',
    '',
    '1.20.0',
    'linux/amd64',
    'bd9e442',
    'kube-controller-manager',
  ],
  [
    'kube-controller-manager/v1.22.0 (linux/amd64) kubernetes/c2b5237/leader-election',
    'kube-controller-manager',
    'client-go',
    '1.22.0',
    '',
    '1.22.0',
    'linux/amd64',
    'c2b5237',
    'leader-election',
  ],
  [
    'kube-controller-manager/v1.31.0 (linux/amd64) kubernetes/9edcffc/leader-election',
    'kube-controller-manager',
    'client-go',
    '1.31.0',
    '',
    '1.31.0',
    'linux/amd64',
    '9edcffc',
    'leader-election',
  ],
  [
    'kube-controller-manager/v1.29.6 (linux/amd64) kubernetes/062798d/metadata-informers',
    'kube-controller-manager',
    'client-go',
    '1.29.6',
    '',
    '1.29.6',
    'linux/amd64',
    '062798d',
    'metadata-informers',
  ],
  [
    'kube-controller-manager/v1.28.7 (linux/amd64) kubernetes/c8dcb00/system:serviceaccount:kube-system:service-account-controller',
    'kube-controller-manager',
    'client-go',
    '1.28.7',
    '',
    '1.28.7',
    'linux/amd64',
    'c8dcb00',
    'system:serviceaccount:kube-system:service-account-controller',
  ],
  [
    'kube-controller-manager/v1.20.7 (linux/amd64) kubernetes/132a687/leader-election',
    'kube-controller-manager',
    'client-go',
    '1.20.7',
    '',
    '1.20.7',
    'linux/amd64',
    '132a687',
    'leader-election',
  ],
  [
    'kube-scheduler/v1.31.0 (linux/amd64) kubernetes/9edcffc/leader-election',
    'kube-scheduler',
    'client-go',
    '1.31.0',
    '',
    '1.31.0',
    'linux/amd64',
    '9edcffc',
    'leader-election',
  ],
  [
    'kube-scheduler/v1.20.7 (linux/amd64) kubernetes/132a687/leader-election',
    'kube-scheduler',
    'client-go',
    '1.20.7',
    '',
    '1.20.7',
    'linux/amd64',
    '132a687',
    'leader-election',
  ],
  [
    'kube-scheduler/v1.22.0 (linux/amd64) kubernetes/c2b5237/scheduler',
    'kube-scheduler',
    'client-go',
    '1.22.0',
    '',
    '1.22.0',
    'linux/amd64',
    'c2b5237',
    'scheduler',
  ],
  [
    'kubelet/v1.14.0 (linux/amd64) kubernetes/aef1179',
    'kubelet',
    'client-go',
    '1.14.0',
    '',
    '1.14.0',
    'linux/amd64',
    'aef1179',
    '',
  ],
  [
    'kubelet/v1.21.2 (linux/amd64) kubernetes/729bdfc',
    'kubelet',
    'client-go',
    '1.21.2',
    '',
    '1.21.2',
    'linux/amd64',
    '729bdfc',
    '',
  ],
  [
    'kubelet/v1.21.6 (linux/amd64) kubernetes/d921bc6',
    'kubelet',
    'client-go',
    '1.21.6',
    '',
    '1.21.6',
    'linux/amd64',
    'd921bc6',
    '',
  ],
  [
    'kubelet/v1.14.6 (linux/amd64) kubernetes/96fac5c',
    'kubelet',
    'client-go',
    '1.14.6',
    '',
    '1.14.6',
    'linux/amd64',
    '96fac5c',
    '',
  ],
  [
    'kubelet/v1.13.3 (linux/amd64) kubernetes/721bfa7',
    'kubelet',
    'client-go',
    '1.13.3',
    '',
    '1.13.3',
    'linux/amd64',
    '721bfa7',
    '',
  ],
  ['kube-probe/1.21', 'kube-probe', 'kube-probe', '1.21.0', '', '1.21.0', '', '', ''],
  [
    'kubectl/v1.20.2 (linux/amd64) kubernetes/faecb19',
    'kubectl',
    'client-go',
    '1.20.2',
    '',
    '1.20.2',
    'linux/amd64',
    'faecb19',
    '',
  ],
  [
    'kubectl/v1.20.0 (linux/amd64) kubernetes/af46c47',
    'kubectl',
    'client-go',
    '1.20.0',
    '',
    '1.20.0',
    'linux/amd64',
    'af46c47',
    '',
  ],
  [
    'kubectl/v1.23.1 (linux/amd64) kubernetes/86ec240',
    'kubectl',
    'client-go',
    '1.23.1',
    '',
    '1.23.1',
    'linux/amd64',
    '86ec240',
    '',
  ],
  [
    'kubectl/v1.23.5 (linux/amd64) kubernetes/c285e78',
    'kubectl',
    'client-go',
    '1.23.5',
    '',
    '1.23.5',
    'linux/amd64',
    'c285e78',
    '',
  ],
  [
    'kubectl/v1.24.4 (linux/amd64) kubernetes/95ee5ab',
    'kubectl',
    'client-go',
    '1.24.4',
    '',
    '1.24.4',
    'linux/amd64',
    '95ee5ab',
    '',
  ],
  [
    'kubectl/v1.25.6 (linux/amd64) kubernetes/ff2c119',
    'kubectl',
    'client-go',
    '1.25.6',
    '',
    '1.25.6',
    'linux/amd64',
    'ff2c119',
    '',
  ],
  [
    'kubectl/v1.28.5 (linux/amd64) kubernetes/506050d',
    'kubectl',
    'client-go',
    '1.28.5',
    '',
    '1.28.5',
    'linux/amd64',
    '506050d',
    '',
  ],
  [
    'kubectl/v1.29.3 (linux/amd64) kubernetes/6813625',
    'kubectl',
    'client-go',
    '1.29.3',
    '',
    '1.29.3',
    'linux/amd64',
    '6813625',
    '',
  ],
  ['Go-http-client/2.0', 'Go-http-client', 'go-http', null, 'not-kubernetes', null, '', '', ''],
  [
    'helm/v0.0.0 (darwin/amd64) kubernetes/$Format',
    'helm',
    'helm',
    null,
    'placeholder',
    null,
    'darwin/amd64',
    '$Format',
    '',
  ],
  [
    'manager/v0.0.0 (linux/amd64) kubernetes/$Format/leader-election',
    'manager',
    'client-go',
    null,
    'placeholder',
    null,
    'linux/amd64',
    '$Format',
    'leader-election',
  ],
  [
    'kustomize-controller/v0.0.0 (linux/amd64) kubernetes/$Format',
    'kustomize-controller',
    'client-go',
    null,
    'placeholder',
    null,
    'linux/amd64',
    '$Format',
    '',
  ],
  [
    'argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format',
    'argocd-application-controller',
    'client-go',
    null,
    'placeholder',
    null,
    'linux/amd64',
    '$Format',
    '',
  ],
  [
    'controller/v0.0.0 (linux/arm64) kubernetes/$Format',
    'controller',
    'client-go',
    null,
    'placeholder',
    null,
    'linux/arm64',
    '$Format',
    '',
  ],
  ['OpenAPI-Generator/12.0.1/python', 'python-client', 'python', '12.0.1', '', '1.16.0', '', '', ''],
  ['OpenAPI-Generator/18.20.0/python', 'python-client', 'python', '18.20.0', '', '1.18.20', '', '', ''],
  ['OpenAPI-Generator/26.1.0/python', 'python-client', 'python', '26.1.0', '', '1.26.1', '', '', ''],
  ['OpenAPI-Generator/33.1.0/python', 'python-client', 'python', '33.1.0', '', '1.33.1', '', '', ''],
  ['Swagger-Codegen/8.0.2/python', 'python-client', 'python', '8.0.2', '', '1.12.0', '', '', ''],
  [
    'Kubernetes Java Client/20.0.0-SNAPSHOT',
    'java-client',
    'java',
    '20.0.0-SNAPSHOT',
    '',
    '1.28.0',
    '',
    '',
    '',
  ],
];

function fields(ua: string | null | undefined) {
  const r = parseUserAgent(ua);
  return [r.name, r.family, r.version, r.versionReason, r.kubeVersion, r.platform, r.commit, r.suffix];
}

describe('parseUserAgent on every real user agent', () => {
  it('has an expectation for each line of the shared file, and no other', () => {
    expect(existsSync(uaFile), `${uaFile} must exist`).toBe(true);
    const lines = readFileSync(uaFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(51);
    expect(REAL.map((r) => r[0])).toEqual(lines);
  });

  it.each(REAL)('%s', (ua, ...expected) => {
    expect(fields(ua)).toEqual(expected);
    const r = parseUserAgent(ua);
    expect(r.kubeMinor).toBe(kubeMinorOf(r.kubeVersion));
    expect(r.versionReason === '').toBe(r.version !== null);
  });
});

describe('families of k8s-facts §6 and other shapes', () => {
  const cases: Row[] = [
    ['Helm/3.14.2', 'Helm', 'helm', '3.14.2', '', '1.29.0', '', '', ''],
    ['Helm/3.99.0', 'Helm', 'helm', '3.99.0', '', null, '', '', ''],
    ['helm/v4.0.0', 'helm', 'helm', '4.0.0', '', '1.34.0', '', '', ''],
    ['HashiCorp/1.0 Terraform/1.7.5', 'terraform', 'terraform', '1.7.5', '', null, '', '', ''],
    ['kube-probe/1.31', 'kube-probe', 'kube-probe', '1.31.0', '', '1.31.0', '', '', ''],
    ['OpenAPI-Generator/27.2.0b1/python', 'python-client', 'python', '27.2.0-b1', '', '1.27.2', '', '', ''],
    ['OpenAPI-Generator/10.0.1/python', 'python-client', 'python', '10.0.1', '', '1.14.0', '', '', ''],
    ['OpenAPI-Generator/14.0.0/python', 'python-client', 'python', '14.0.0', '', null, '', '', ''],
    ['OpenAPI-Generator/1.0.0/go', 'OpenAPI-Generator', 'other', null, 'unparseable', null, '', '', ''],
    ['Kubernetes Java Client/21.0.1', 'java-client', 'java', '21.0.1', '', '1.30.0', '', '', ''],
    ['Kubernetes Java Client/13.0.0', 'java-client', 'java', '13.0.0', '', '1.20.0', '', '', ''],
    ['Kubernetes Java Client/99.0.0', 'java-client', 'java', '99.0.0', '', null, '', '', ''],
    ['curl/8.7.1', 'curl', 'curl', '8.7.1', '', null, '', '', ''],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
      'Mozilla',
      'browser',
      null,
      'not-kubernetes',
      null,
      '',
      '',
      '',
    ],
    // client-go's version variable stamped with a client-go tag, several AddUserAgent suffixes.
    [
      'op/v0.29.3 (linux/amd64) kubernetes/abc1234/informers/leader-election',
      'op',
      'client-go',
      '0.29.3',
      '',
      '1.29.3',
      'linux/amd64',
      'abc1234',
      'informers/leader-election',
    ],
    // The unshortened client-go default gitVersion and the 'unknown' fallbacks.
    ['x/v0.0.0-master+$Format:%H$', 'x', 'client-go', null, 'placeholder', null, '', '', ''],
    [
      'x/unknown (linux/amd64) kubernetes/unknown',
      'x',
      'client-go',
      null,
      'placeholder',
      null,
      'linux/amd64',
      'unknown',
      '',
    ],
    // A real version with an unstamped commit is the program's own: client-go's is unknown.
    [
      'x/v1.30.2 (linux/amd64) kubernetes/$Format',
      'x',
      'client-go',
      '1.30.2',
      '',
      null,
      'linux/amd64',
      '$Format',
      '',
    ],
    // A project's own version outside client-go's form says nothing about Kubernetes.
    ['my-operator/v0.18.0', 'my-operator', 'other', '0.18.0', '', null, '', '', ''],
    [
      'kubectl.exe/v1.29.0 (windows/amd64) kubernetes/abc1234',
      'kubectl.exe',
      'client-go',
      '1.29.0',
      '',
      '1.29.0',
      'windows/amd64',
      'abc1234',
      '',
    ],
    ['kubelet/v1.27.3-eks-a5565ad', 'kubelet', 'client-go', '1.27.3-eks-a5565ad', '', '1.27.3', '', '', ''],
    ['foo/latest', 'foo', 'other', null, 'unparseable', null, '', '', ''],
    ['foo/01.2.3', 'foo', 'other', null, 'unparseable', null, '', '', ''],
    ['foo/', 'foo', 'other', null, 'missing', null, '', '', ''],
    ['/v1.2.3', 'unknown', 'other', '1.2.3', '', null, '', '', ''],
  ];
  it.each(cases)('%s', (ua, ...expected) => {
    expect(fields(ua)).toEqual(expected);
  });

  it('reports a missing user agent as unknown/none', () => {
    for (const ua of [undefined, null, '', '   ', '\t\n']) {
      expect(fields(ua)).toEqual(['unknown', 'none', null, 'missing', null, '', '', '']);
    }
  });
});

describe('the four wrong classes of issue 9, and why a Kubernetes version is unknown', () => {
  const id = (ua: string) => {
    const r = parseUserAgent(ua);
    return { name: r.name, family: r.family, version: r.version, kube: r.kubeVersion, why: r.kubeReason };
  };

  it('reads the client-go tag written after the platform, keeping the program version its own', () => {
    expect(id('pulumi-kubernetes/4.0.0 (darwin/arm64) client-go/v0.31.0')).toEqual({
      name: 'pulumi-kubernetes',
      family: 'client-go',
      version: '4.0.0',
      kube: '1.31.0',
      why: '',
    });
    expect(parseUserAgent('pulumi-kubernetes/4.0.0 (darwin/arm64) client-go/v0.31.0').platform).toBe(
      'darwin/arm64',
    );
    expect(id('x/v1.2.3 (linux/amd64) client-go/v0.16.0')).toMatchObject({
      kube: null,
      why: 'not-a-release',
    });
    expect(id('x/v1.2.3 (linux/amd64) client-go/master')).toMatchObject({ kube: null, why: 'not-a-release' });
  });

  it('reads a client-go tag in the commit slot instead of the program version', () => {
    const r = parseUserAgent('ig/v0.40.0-61-g68cce8aa6-dirty (linux/amd64) kubernetes/v0.33.0');
    expect([r.version, r.kubeVersion, r.kubeMinor, r.commit, r.kubeReason]).toEqual([
      '0.40.0-61-g68cce8aa6-dirty',
      '1.33.0',
      33,
      'v0.33.0',
      '',
    ]);
    // Without the tag the same program version would have read as client-go v0.40, i.e. "1.40".
    expect(id('ig/v0.40.0 (linux/amd64) kubernetes/68cce8a').kube).toBe('1.40.0');
  });

  it('treats kubernetes/$Format as an unknown client-go version, not the program version', () => {
    expect(id('node-problem-detector/v1.4.0 (linux/amd64) kubernetes/$Format')).toEqual({
      name: 'node-problem-detector',
      family: 'client-go',
      version: '1.4.0',
      kube: null,
      why: 'unstamped-commit',
    });
    // Kubernetes' own components stay releases whatever their commit says.
    expect(id('kubectl/v1.30.2 (linux/amd64) kubernetes/$Format').kube).toBe('1.30.2');
  });

  it("reads the Java client's versionless default as the Java client, version unknown", () => {
    expect(id('Kubernetes Java Client')).toEqual({
      name: 'java-client',
      family: 'java',
      version: null,
      kube: null,
      why: 'no-version',
    });
    expect(parseUserAgent('Kubernetes Java Client').versionReason).toBe('missing');
    expect(id('Kubernetes Java Clients/1.0')).toMatchObject({
      family: 'other',
      name: 'Kubernetes Java Clients',
    });
  });

  it.each([
    ['Talos/v1.14.0-alpha.2-8-gba926c6ce-dirty', 'own-version'],
    ['curl/8.7.1', 'own-version'],
    ['kube-state-metrics/v2.15.0 (linux/amd64) kubernetes/', 'not-a-release'],
    ['kubectl/4.16.0 (linux/arm64) kubernetes/cf533b5', 'not-a-release'],
    ['Helm/3.99.0', 'unmapped'],
    ['Kubernetes Java Client/99.0.0', 'unmapped'],
    ['OpenAPI-Generator/14.0.0/python', 'unmapped'],
    ['manager/v0.0.0', 'no-version'],
    ['Go-http-client/2.0', 'no-version'],
    ['HashiCorp/1.0 Terraform/1.7.5', 'own-version'],
  ])('%s: unknown because %s', (ua, why) => {
    const r = parseUserAgent(ua);
    expect([r.kubeVersion, r.kubeMinor, r.kubeReason]).toEqual([null, 0, why]);
  });

  it("reads kube-probe's '+' minor (builds with extras) as that minor", () => {
    expect(id('kube-probe/1.10+')).toMatchObject({ version: '1.10.0', kube: '1.10.0', why: '' });
    expect(id('foo/1.10+').version).toBeNull();
  });

  it('keeps kubeReason empty exactly when kubeVersion is set', () => {
    for (const ua of [
      'kubectl/v1.29.0',
      'x/v0.0.0 (linux/amd64) kubernetes/$Format',
      'a',
      '',
      'Helm/3.14.2',
    ]) {
      const r = parseUserAgent(ua);
      expect(r.kubeReason === '', ua).toBe(r.kubeVersion !== null);
    }
  });
});

describe('kubeMinorOf', () => {
  it.each([
    ['1.17.3', 17],
    ['v1.21', 21],
    ['1.20.0+bd9e442', 20],
    ['2.12.0', 0],
    ['0.29.3', 0],
    ['garbage', 0],
    ['1.1000.0', 0],
    ['', 0],
    [null, 0],
  ] as const)('%s -> %d', (v, minor) => {
    expect(kubeMinorOf(v)).toBe(minor);
  });
});
