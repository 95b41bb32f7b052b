import { builtinChanges } from '@radar/catalog';
import { describe, expect, it } from 'vitest';
import { reviewResponse } from './respond.js';
import { buildRules } from './rules.js';
import { webhookConfiguration } from './webhook-config.js';

// biome-ignore lint/suspicious/noExplicitAny: reading the rendered document
type Doc = any;

describe('webhookConfiguration', () => {
  it('has rules for exactly the resources with watched fields, safe settings', () => {
    const cfg = webhookConfiguration(buildRules(builtinChanges(), '1.17', '1.18'), { caPem: 'PEM' }) as Doc;
    const wh = cfg.webhooks[0];
    expect(wh).toMatchObject({
      failurePolicy: 'Ignore',
      timeoutSeconds: 2,
      sideEffects: 'None',
      matchPolicy: 'Exact',
    });
    expect(wh.clientConfig.caBundle).toBe(Buffer.from('PEM').toString('base64'));
    const net = wh.rules.find((r: Doc) => r.apiGroups[0] === 'networking.k8s.io');
    expect(net).toEqual({
      operations: ['UPDATE'],
      apiGroups: ['networking.k8s.io'],
      apiVersions: ['v1beta1'],
      resources: ['ingresses'],
      scope: '*',
    });
    expect(wh.rules.every((r: Doc) => r.operations.join() === 'UPDATE')).toBe(true);
    // 1.18 clusters do not know matchConditions
    expect(wh.matchConditions).toBeUndefined();
  });

  it('adds matchConditions from 1.28', () => {
    const wh = (webhookConfiguration(buildRules(builtinChanges(), '1.27', '1.28')) as Doc).webhooks[0];
    expect(wh.matchConditions.map((m: Doc) => m.name)).toEqual([
      'not-a-subresource',
      'not-the-control-plane',
    ]);
  });

  it('answers an unreadable review with an allowing v1 response', () => {
    expect(reviewResponse('')).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: '', allowed: true },
    });
  });
});
