import { builtinChanges } from '@radar/catalog';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { reviewResponse } from './respond.js';
import { buildRules } from './rules.js';
import { webhookConfiguration, webhookHelmValues, webhookHelmValuesYaml } from './webhook-config.js';

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

  it('helm-values carry the upgrade and webhooks[0] of the yaml output minus clientConfig', () => {
    for (const [from, to] of [
      ['1.16', '1.18'],
      ['1.27', '1.28'],
    ] as const) {
      const rules = buildRules(builtinChanges(), from, to);
      const { clientConfig, ...entry } = (webhookConfiguration(rules, { caPem: 'PEM' }) as Doc).webhooks[0];
      expect(clientConfig.service.name).toBe('upgrade-radar-guard');
      const text = webhookHelmValuesYaml(rules);
      // A values file: comments, then one top-level `guard:` block, parsed back to the same values.
      expect(text.split('\n').filter((l) => /^[^#\s]/.test(l))).toEqual(['guard:']);
      expect(parse(text)).toEqual(webhookHelmValues(rules));
      expect(parse(text)).toEqual({ guard: { from, to, webhook: entry } });
      expect(entry.matchConditions === undefined).toBe(to === '1.18');
    }
  });

  it('helm-values name minors as the chart writes them, whatever release spelling was given', () => {
    const values = webhookHelmValues(buildRules(builtinChanges(), 'v1.16.3', '1.18.0-gke.1')).guard;
    expect([values.from, values.to]).toEqual(['1.16', '1.18']);
  });
});
