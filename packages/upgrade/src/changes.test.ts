import { builtinChanges } from '@radar/catalog';
import { describe, expect, it } from 'vitest';
import { resourcesOf, upgradeChanges } from './changes.js';

describe('upgradeChanges (built-in catalog)', () => {
  it('1.26 -> 1.27: new group/versions, the flowcontrol storage move, added fields', () => {
    const u = upgradeChanges(builtinChanges(), 26, 27);
    expect(u.newGroupVersions).toContain('resource.k8s.io/v1alpha2/resourceclaims');
    expect(u.newGroupVersions).not.toContain('apps/v1/deployments');
    expect(u.storageMoved).toEqual([
      'flowcontrol.apiserver.k8s.io/flowschemas',
      'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations',
    ]);
    expect(u.addedFields).toContain('apps/deployments|spec.template.spec.containers[].resizePolicy');
    expect(u.fieldChanged).toContain('/pods');
  });

  it('a range takes every minor in (from, to], none from before', () => {
    const u = upgradeChanges(builtinChanges(), 17, 18);
    expect(u.storageMoved).toEqual(['storage.k8s.io/csinodes']);
    expect(upgradeChanges(builtinChanges(), 18, 18).storageMoved).toEqual([]);
    // discovery.k8s.io/v1beta1 came in 1.17: 1.16 does not serve it (the namespace-deletion hang).
    expect(upgradeChanges(builtinChanges(), 16, 18).newGroupVersions).toContain(
      'discovery.k8s.io/v1beta1/endpointslices',
    );
  });

  it('resource plurals of keys', () => {
    expect(resourcesOf(['apps/v1/deployments', '/pods|spec.x', 'apps/deployments'])).toEqual([
      'deployments',
      'pods',
    ]);
  });
});
