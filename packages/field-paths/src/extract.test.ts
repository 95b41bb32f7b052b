import { describe, expect, it } from 'vitest';
import { carriedBody, extractPaths } from './extract.js';
import { DEFAULT_LIMITS } from './limits.js';
import { loadMapIndex } from './maps.js';

const maps = loadMapIndex();
const deployments = maps.forResource('apps/deployments');
const crd = maps.forResource('example.com/widgets');

function deployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      labels: { app: 'web-secret-label', 'app.kubernetes.io/name': 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '7' },
      managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }],
      resourceVersion: '123',
    },
    spec: {
      replicas: 3,
      paused: null,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.example.com/app:1',
              command: ['/bin/app', '--flag'],
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: { limits: { cpu: '500m' }, requests: { memory: '128Mi' } },
            },
            { name: 'sidecar', image: 'envoy', securityContext: { runAsNonRoot: true } },
          ],
          nodeSelector: { disktype: 'ssd' },
        },
      },
    },
  };
}

describe('extractPaths on objects', () => {
  it('records every field with list items as [] and stops at free-form maps', () => {
    const set = extractPaths('update', deployment(), deployments);
    expect(set.status).toBe('complete');
    expect(set.paths).toEqual(
      expect.arrayContaining([
        'apiVersion',
        'metadata.labels',
        'metadata.annotations',
        'metadata.managedFields',
        'spec.replicas',
        'spec.selector.matchLabels',
        'spec.template.metadata.labels',
        'spec.template.spec.containers',
        'spec.template.spec.containers[].name',
        'spec.template.spec.containers[].command',
        'spec.template.spec.containers[].ports[].containerPort',
        'spec.template.spec.containers[].resources.limits',
        'spec.template.spec.containers[].securityContext.runAsNonRoot',
        'spec.template.spec.nodeSelector',
      ]),
    );
    // map keys, managedFields' insides, nulls and values are never paths
    for (const p of set.paths) {
      expect(p).not.toMatch(/disktype|cpu|memory|app\.kubernetes|revision|f:spec|fieldsV1|paused|web|8080/);
    }
    expect(set.paths).not.toContain('spec.template.spec.containers[]');
  });

  it('puts structured values of maps under .* (the catalog syntax)', () => {
    const slice = {
      spec: {
        devices: [
          { name: 'gpu-0', capacity: { memory: { value: '80Gi', requestPolicy: { default: '1Gi' } } } },
        ],
      },
    };
    const set = extractPaths('update', slice, maps.forResource('resource.k8s.io/resourceslices'));
    expect(set.paths).toEqual(
      expect.arrayContaining([
        'spec.devices[].capacity',
        'spec.devices[].capacity.*',
        'spec.devices[].capacity.*.value',
        'spec.devices[].capacity.*.requestPolicy.default',
      ]),
    );
    expect(set.paths.join(' ')).not.toContain('memory');
  });

  it('tells maps by the resource: a Service selector is a map, a Deployment selector is not', () => {
    const svc = extractPaths('update', { spec: { selector: { app: 'x' } } }, maps.forResource('/services'));
    expect(svc.paths).toEqual(['spec', 'spec.selector']);
    const dep = extractPaths('update', { spec: { selector: { matchLabels: { a: 'b' } } } }, deployments);
    expect(dep.paths).toEqual(['spec', 'spec.selector', 'spec.selector.matchLabels']);
  });

  it('treats objects with keys that are not field names as maps in resources it does not know', () => {
    const body = {
      metadata: { labels: { team: 'a' } },
      spec: {
        tenants: { 'team-a': { quota: 3 }, 'team-b': { quota: 4, burst: true } },
        nodeSelector: { zone: 'a' },
        settings: { plainKey: 'value' },
      },
    };
    const set = extractPaths('update', body, crd);
    expect(set.paths).toEqual([
      'metadata',
      'metadata.labels',
      'spec',
      'spec.nodeSelector',
      'spec.settings',
      'spec.settings.plainKey',
      'spec.tenants',
      'spec.tenants.*',
      'spec.tenants.*.burst',
      'spec.tenants.*.quota',
    ]);
  });

  it('skips strategic merge patch directives and items marked for deletion', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            $setElementOrder: [{ name: 'app' }],
            containers: [
              { name: 'old', $patch: 'delete' },
              { name: 'app', image: 'x', $retainKeys: ['image'] },
            ],
          },
        },
      },
    };
    const set = extractPaths('patch', patch, deployments);
    expect(set.paths).toContain('spec.template.spec.containers[].image');
    expect(set.paths.some((p) => p.includes('$'))).toBe(false);
  });
});

describe('extractPaths on JSON patches', () => {
  it('turns pointers into paths with their ancestors, [] for indexes, maps for label keys', () => {
    const ops = [
      {
        op: 'add',
        path: '/spec/template/spec/containers/0/resizePolicy',
        value: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
      },
      { op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'hidden-value' },
      { op: 'remove', path: '/spec/paused' },
      { op: 'test', path: '/spec/minReadySeconds', value: 5 },
      { op: 'move', from: '/spec/a', path: '/spec/strategy/type' },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'new', image: 'y' } },
    ];
    const set = extractPaths('patch', ops, deployments);
    expect(set.status).toBe('complete');
    expect(set.paths).toEqual([
      'metadata',
      'metadata.labels',
      'spec',
      'spec.strategy',
      'spec.strategy.type',
      'spec.template',
      'spec.template.spec',
      'spec.template.spec.containers',
      'spec.template.spec.containers[].image',
      'spec.template.spec.containers[].name',
      'spec.template.spec.containers[].resizePolicy',
      'spec.template.spec.containers[].resizePolicy[].resourceName',
      'spec.template.spec.containers[].resizePolicy[].restartPolicy',
    ]);
  });

  it('is not-an-object when no element is an operation, and for arrays sent as a whole object', () => {
    expect(extractPaths('patch', [1, 'x', { nope: true }], deployments).status).toBe('not-an-object');
    expect(extractPaths('update', [{ op: 'add', path: '/spec' }], deployments).status).toBe('not-an-object');
    expect(extractPaths('patch', [], deployments)).toEqual({ paths: [], status: 'complete' });
  });
});

describe('extractPaths on hostile input', () => {
  it('gives a reason and no paths for bodies that are not objects', () => {
    for (const body of ['a string', 42, true, null]) {
      expect(extractPaths('update', body, deployments)).toEqual({ paths: [], status: 'not-an-object' });
    }
  });

  it('stops at the depth cap on 10,000 nested objects, lists and pointer segments', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const set = extractPaths('update', deep, crd);
    expect(set.status).toBe('too-deep');
    expect(set.paths.length).toBe(DEFAULT_LIMITS.maxDepth + 1);

    let list: unknown = [1];
    for (let i = 0; i < 10_000; i++) list = [list];
    expect(extractPaths('update', { spec: { x: list } }, crd).status).toBe('too-deep');

    const pointer = `/${Array.from({ length: 10_000 }, () => 'a').join('/')}`;
    const patched = extractPaths('patch', [{ op: 'add', path: pointer, value: 1 }], crd);
    expect(patched.status).toBe('too-deep');
    expect(patched.paths.length).toBe(DEFAULT_LIMITS.maxDepth);
  });

  it('reads only the first listSample items of a list with a million items', () => {
    let reads = 0;
    const items = new Proxy(
      Array.from({ length: 1_000_000 }, (_, i) => ({ name: `c${i}`, extra: i === 999_999 ? 1 : undefined })),
      {
        get(t, p, r) {
          if (typeof p === 'string' && /^\d+$/.test(p)) reads++;
          return Reflect.get(t, p, r);
        },
      },
    );
    const set = extractPaths('update', { spec: { containers: items } }, crd);
    expect(set.status).toBe('sampled');
    expect(reads).toBe(DEFAULT_LIMITS.listSample);
    expect(set.paths).toEqual(['spec', 'spec.containers', 'spec.containers[].name']);
  });

  it('caps the number of paths and the values visited', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 500; i++) wide[`f${i}`] = i;
    const limits = { ...DEFAULT_LIMITS, maxPaths: 100 };
    const set = extractPaths('update', { spec: wide }, crd, limits);
    expect(set.status).toBe('too-many-paths');
    expect(set.paths.length).toBe(100);

    // 50 maps of 50 maps of ...: exponential if walked whole, stopped by the visit budget
    let fan: unknown = { leaf: 1 };
    for (let d = 0; d < 8; d++)
      fan = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k-${i}`, fan]));
    expect(extractPaths('update', { spec: fan }, crd).status).toBe('too-large');
  });
});

describe('carried path sets', () => {
  it('round-trips a path set reduced upstream', () => {
    const set = extractPaths('update', deployment(), deployments);
    expect(extractPaths('update', carriedBody(set), deployments)).toEqual(set);
  });

  it('keeps only well-formed paths from a body that claims to be carried', () => {
    const forged = {
      $radarPaths: ['spec.replicas', 'spec.password=hunter2', 'spec.x[].y', 7],
      $radarStatus: 'bogus',
    };
    expect(extractPaths('update', forged, deployments)).toEqual({
      paths: ['spec.replicas', 'spec.x[].y'],
      status: 'complete',
    });
  });
});
