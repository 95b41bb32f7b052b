import { describe, expect, it } from 'vitest';
import { assessRequest, buildRiskIndex, type RequestShape } from './risk.js';
import { TEST_CATALOG } from './testing.js';

const idx = buildRiskIndex(TEST_CATALOG, 22, 25);
const req = (over: Partial<RequestShape>): RequestShape => ({
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  subresource: '',
  verb: 'update',
  kubeMinor: 20,
  ...over,
});
const kinds = (r: RequestShape) => assessRequest(r, idx).map((h) => `${h.change.change}:${h.severity}`);

describe('buildRiskIndex', () => {
  it('keeps removals and deprecations up to target, field changes only inside (current, target]', () => {
    expect(idx.sqlParams.gvr_keys).toEqual(['batch/v1beta1/cronjobs', 'extensions/v1beta1/ingresses']);
    expect(idx.sqlParams.field_objects).toEqual([
      'apps/deployments',
      'apps/statefulsets',
      'extensions/deployments',
    ]);
    expect(idx.sqlParams.storage_objects).toEqual(['storage.k8s.io/csistoragecapacities']);
    expect(idx.sqlParams.all_resources).toBe(0);
  });

  it('reads a whole group/version removal as every resource', () => {
    const whole = buildRiskIndex([{ ...TEST_CATALOG[0]!, resource: '' }], 22, 25);
    expect(whole.sqlParams).toMatchObject({ gvr_keys: ['batch/v1beta1/*'], all_resources: 1 });
    expect(
      assessRequest(req({ group: 'batch', version: 'v1beta1', resource: 'anything', verb: 'get' }), whole),
    ).toHaveLength(1);
  });
});

describe('assessRequest', () => {
  it('flags any verb on a removed API as critical, and nothing else for it', () => {
    for (const verb of ['get', 'list', 'watch', 'create', 'patch', 'delete']) {
      expect(
        kinds(req({ group: 'batch', version: 'v1beta1', resource: 'cronjobs', verb, kubeMinor: 25 })),
      ).toEqual(['gvk-removed:critical']);
    }
  });

  it('flags a full update by a client older than the field as high', () => {
    expect(kinds(req({}))).toEqual(['field-added:high', 'default-changed:high']);
    expect(kinds(req({ kubeMinor: 23 }))).toEqual(['default-changed:high']);
  });

  it('treats the same object reached through another group as the same object', () => {
    expect(kinds(req({ group: 'extensions', version: 'v1beta1' }))).toEqual([
      'field-added:high',
      'default-changed:high',
    ]);
  });

  it('says needs-verification, never safe, when the client version is unknown', () => {
    expect(kinds(req({ kubeMinor: 0 }))).toEqual([
      'field-added:needs-verification',
      'default-changed:needs-verification',
    ]);
  });

  it('does not flag patch, create, delete, reads, status or scale writes, or clients at target', () => {
    for (const verb of ['patch', 'create', 'delete', 'get', 'list', 'watch'])
      expect(kinds(req({ verb }))).toEqual([]);
    expect(kinds(req({ subresource: 'status' }))).toEqual([]);
    expect(kinds(req({ subresource: 'scale' }))).toEqual([]);
    expect(kinds(req({ kubeMinor: 25 }))).toEqual([]);
    expect(kinds(req({ kubeMinor: 30 }))).toEqual([]);
  });

  it('ignores field changes at or before current (already lost today, not by this upgrade)', () => {
    expect(kinds(req({ group: 'batch', resource: 'jobs', kubeMinor: 18 }))).toEqual([]);
    expect(kinds(req({ group: '', resource: 'pods', kubeMinor: 15 }))).toEqual([]);
  });

  it('reports deprecated APIs low and storage moves info', () => {
    const i = buildRiskIndex(TEST_CATALOG, 28, 30);
    expect(
      assessRequest(
        req({
          group: 'flowcontrol.apiserver.k8s.io',
          version: 'v1beta3',
          resource: 'flowschemas',
          verb: 'get',
        }),
        i,
      ).map((h) => h.severity),
    ).toEqual(['low']);
    expect(kinds(req({ group: 'storage.k8s.io', resource: 'csistoragecapacities', verb: 'create' }))).toEqual(
      ['storage-version-changed:info'],
    );
    expect(kinds(req({ group: 'storage.k8s.io', resource: 'csistoragecapacities', verb: 'get' }))).toEqual(
      [],
    );
  });
});
