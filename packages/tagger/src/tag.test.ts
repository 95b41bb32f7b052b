import { decodeMessage } from '@radar/audit-events';
import { parseUserAgent } from '@radar/client-identity';
import { describe, expect, it } from 'vitest';
import { AUDIT_COLUMNS, type AuditRow, rowCells } from './row.js';
import { tagEvent } from './tag.js';
import { parseRequestUri } from './uri.js';

const deps = { parseUserAgent };
const cfg = { cluster: 'prod', source: 'test' };

function event(over: Record<string, unknown>) {
  const [r] = decodeMessage(
    JSON.stringify({
      auditID: 'a1',
      stage: 'ResponseComplete',
      verb: 'update',
      requestURI: '/apis/networking.k8s.io/v1beta1/namespaces/web/ingresses/shop',
      user: { username: 'alice', groups: ['devs'] },
      userAgent: 'kubectl/v1.16.3 (linux/amd64) kubernetes/b3cbbae',
      objectRef: {
        resource: 'ingresses',
        namespace: 'web',
        name: 'shop',
        apiGroup: 'networking.k8s.io',
        apiVersion: 'v1beta1',
      },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: '2026-11-20T10:00:00.123456Z',
      annotations: { 'k8s.io/deprecated': 'true', 'k8s.io/removed-release': '1.22' },
      ...over,
    }),
  );
  if (r?.kind !== 'ok') throw new Error(`fixture: ${JSON.stringify(r)}`);
  return r.value;
}

describe('tagEvent', () => {
  it('tags who, what and on what, with the version the client called', () => {
    const row = tagEvent(event({}), cfg, deps, { partition: 3, offset: 42 });
    expect(row).toMatchObject({
      cluster: 'prod',
      verb: 'update',
      write_class: 'write',
      api_group: 'networking.k8s.io',
      api_version: 'v1beta1',
      resource: 'ingresses',
      namespace: 'web',
      name: 'shop',
      username: 'alice',
      user_groups: ['devs'],
      client_name: 'kubectl',
      client_version: '1.16.3',
      client_kube_minor: 16,
      status_code: 200,
      deprecated: 1,
      removed_release: '1.22',
      kafka_partition: 3,
      kafka_offset: 42,
    });
  });

  it('falls back to the URL when objectRef lacks group/version (stripped collectors)', () => {
    const row = tagEvent(
      event({
        requestURI: '/apis/apps/v1/namespaces/x/deployments/web/scale',
        objectRef: { resource: 'deployments', namespace: 'x', name: 'web', subresource: 'scale' },
      }),
      cfg,
      deps,
    );
    expect(row).toMatchObject({ api_group: 'apps', api_version: 'v1', subresource: 'scale' });
  });

  it('classifies reads and non-resource requests', () => {
    expect(tagEvent(event({ verb: 'watch' }), cfg, deps).write_class).toBe('read');
    const nonResource = tagEvent(
      event({ verb: 'get', requestURI: '/healthz', objectRef: undefined }),
      cfg,
      deps,
    );
    expect(nonResource).toMatchObject({ write_class: 'other', resource: '', request_uri: '/healthz' });
  });

  it('marks a missing user agent as such (v1beta1 events)', () => {
    const row = tagEvent(event({ userAgent: undefined }), cfg, deps);
    expect(row).toMatchObject({
      client_name: 'unknown',
      client_version: '',
      client_version_reason: 'missing',
      client_kube_minor: 0,
    });
  });

  it('fills exactly the columns that inserts send', () => {
    const row = tagEvent(event({}), cfg, deps);
    expect(Object.keys(row).sort()).toEqual([...AUDIT_COLUMNS].sort());
  });
});

describe('parseRequestUri', () => {
  it('reads core, grouped, namespaced and cluster-scoped URLs', () => {
    expect(parseRequestUri('/api/v1/namespaces/default/pods/p1/log?follow=true')).toEqual({
      apiGroup: '',
      apiVersion: 'v1',
      namespace: 'default',
      resource: 'pods',
      name: 'p1',
      subresource: 'log',
    });
    expect(parseRequestUri('/apis/rbac.authorization.k8s.io/v1/clusterroles')).toMatchObject({
      apiGroup: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      name: '',
    });
    expect(parseRequestUri('/api/v1/namespaces/kube-system')).toMatchObject({
      resource: 'namespaces',
      name: 'kube-system',
    });
    expect(parseRequestUri('/healthz').resource).toBe('');
  });
});

describe('rowCells', () => {
  it('lists a row in AUDIT_COLUMNS order, every column once', () => {
    const row = Object.fromEntries(AUDIT_COLUMNS.map((c, i) => [c, `v${i}`])) as unknown as AuditRow;
    expect(rowCells(row)).toEqual(AUDIT_COLUMNS.map((_, i) => `v${i}`));
  });
});
