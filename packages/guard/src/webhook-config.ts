import { stringify } from 'yaml';
import { minorNumber, type RuleSet } from './rules.js';

export const WEBHOOK_NAME = 'guard.upgrade-radar.io';

export interface WebhookConfigOptions {
  name?: string;
  /** In-cluster Service of the guard, or a URL (one of the two). */
  service?: { namespace: string; name: string; port?: number };
  url?: string;
  /** PEM of the CA that signed the guard's serving certificate (base64-encoded into caBundle). */
  caPem?: string;
}

/**
 * The guard's webhook entry (`webhooks[0]`) without its clientConfig: everything that depends on
 * the upgrade only. `radar guard config` and the Helm chart (through `--format helm-values`) both
 * use it, so the two cannot drift. matchPolicy Exact: the guard then sees objects in the version
 * the client called (its rules are per version; Equivalent would hand it converted objects).
 * failurePolicy Ignore: a guard that is down or slow never stalls writes.
 */
export function webhookEntry(rules: RuleSet): Record<string, unknown> {
  const byGv = new Map<string, { group: string; version: string; resources: Set<string> }>();
  for (const list of rules.byResource.values()) {
    for (const r of list) {
      const k = `${r.group}/${r.version}`;
      let e = byGv.get(k);
      if (!e) {
        e = { group: r.group, version: r.version, resources: new Set() };
        byGv.set(k, e);
      }
      e.resources.add(r.resource);
    }
  }
  const ruleList = [...byGv.values()]
    .sort((a, b) => `${a.group}/${a.version}`.localeCompare(`${b.group}/${b.version}`))
    .map((e) => ({
      operations: ['UPDATE'],
      apiGroups: [e.group],
      apiVersions: [e.version],
      resources: [...e.resources].sort(),
      scope: '*',
    }));
  const webhook: Record<string, unknown> = {
    name: WEBHOOK_NAME,
    rules: ruleList,
    matchPolicy: 'Exact',
    failurePolicy: 'Ignore',
    sideEffects: 'None',
    timeoutSeconds: 2,
    admissionReviewVersions: ['v1'],
  };
  // matchConditions: beta and on by default from 1.28 (GA 1.30); earlier clusters refuse the field.
  if (minorNumber(rules.to) >= 28) {
    webhook.matchConditions = [
      { name: 'not-a-subresource', expression: "!has(request.subResource) || request.subResource == ''" },
      {
        name: 'not-the-control-plane',
        expression:
          "!(request.userInfo.username.startsWith('system:') && !request.userInfo.username.startsWith('system:serviceaccount:')) && !request.userInfo.username.startsWith('system:serviceaccount:kube-system:')",
      },
    ];
  }
  return webhook;
}

/** The metadata annotation naming the upgrade (the chart writes the same from guard.from/to). */
export const upgradeAnnotation = (rules: RuleSet) => ({
  'upgrade-radar.io/upgrade': `${rules.from} -> ${rules.to}`,
});

/** The ValidatingWebhookConfiguration for an upgrade: the entry above plus where to call the guard. */
export function webhookConfiguration(
  rules: RuleSet,
  opts: WebhookConfigOptions = {},
): Record<string, unknown> {
  const clientConfig: Record<string, unknown> = opts.url
    ? { url: opts.url }
    : {
        service: {
          namespace: opts.service?.namespace ?? 'upgrade-radar',
          name: opts.service?.name ?? 'upgrade-radar-guard',
          path: '/validate',
          port: opts.service?.port ?? 443,
        },
      };
  if (opts.caPem) clientConfig.caBundle = Buffer.from(opts.caPem).toString('base64');
  const { name, ...rest } = webhookEntry(rules);
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: opts.name ?? 'upgrade-radar-guard', annotations: upgradeAnnotation(rules) },
    webhooks: [{ name, clientConfig, ...rest }],
  };
}

export const webhookConfigurationYaml = (rules: RuleSet, opts: WebhookConfigOptions = {}) =>
  stringify(webhookConfiguration(rules, opts));

/**
 * The values block of deploy/helm/upgrade-radar for the upgrade: the versions the guard serves
 * and the webhook entry; the chart adds clientConfig (its Service, caBundle or CA injection).
 */
export function webhookHelmValues(rules: RuleSet): { guard: Record<string, unknown> } {
  return { guard: { from: rules.from, to: rules.to, webhook: webhookEntry(rules) } };
}

export const webhookHelmValuesYaml = (rules: RuleSet) =>
  `# upgrade-radar chart values for the guard, upgrade ${rules.from} -> ${rules.to} (radar guard config --format helm-values).
# helm upgrade --install <release> deploy/helm/upgrade-radar -f <this file> --set guard.enabled=true ...
${stringify(webhookHelmValues(rules))}`;
