import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { REPO_ROOT } from './repo.js';

/**
 * The Kubernetes OpenAPI v2 definitions the Helm chart's objects need, reduced to their structure
 * (no descriptions), for the versions the chart is validated against. Derived from the reference
 * specs beside the repository (../shared/data/openapi, provenance in its SOURCES.md) and committed,
 * so a clone without them validates too.
 */
export const K8S_VERSIONS = ['1.28', '1.36'] as const;
export const ROOT_KINDS = [
  'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration',
  'io.k8s.api.apps.v1.Deployment',
  'io.k8s.api.core.v1.ConfigMap',
  'io.k8s.api.core.v1.PersistentVolumeClaim',
  'io.k8s.api.core.v1.Secret',
  'io.k8s.api.core.v1.Service',
  'io.k8s.api.core.v1.ServiceAccount',
  'io.k8s.api.policy.v1.PodDisruptionBudget',
];
export const SUBSET_PATH = join(REPO_ROOT, 'deploy/helm/schemas/kubernetes-openapi-subset.json');
export const MONITORING_PATH = join(REPO_ROOT, 'deploy/helm/schemas/monitoring.coreos.com-v1.json');
export const CERT_MANAGER_PATH = join(REPO_ROOT, 'deploy/helm/schemas/cert-manager.io-v1.json');

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}
export type Definitions = Record<string, Schema>;

export interface SubsetFile {
  provenance: {
    derivedBy: string;
    from: Record<string, { file: string; sha256: string }>;
    rootKinds: string[];
    /** SHA-256 of JSON.stringify(versions): checked where the reference specs are absent. */
    versionsSha256: string;
  };
  versions: Record<string, Definitions>;
}

const KEEP = ['$ref', 'type', 'format', 'items', 'additionalProperties', 'required', 'enum'] as const;

/** One schema without its prose and patch hints; keys in a fixed order (a stable file). */
function strip(s: Schema): Schema {
  const out: Schema = {};
  for (const k of KEEP) {
    const v = s[k];
    if (v === undefined) continue;
    if (k === 'items') out.items = strip(v as Schema);
    else if (k === 'additionalProperties')
      out.additionalProperties = typeof v === 'boolean' ? v : strip(v as Schema);
    else (out as Record<string, unknown>)[k] = v;
  }
  if (s.properties) {
    out.properties = {};
    for (const name of Object.keys(s.properties).sort()) out.properties[name] = strip(s.properties[name]!);
  }
  if (s['x-kubernetes-group-version-kind'])
    out['x-kubernetes-group-version-kind'] = s['x-kubernetes-group-version-kind'];
  return out;
}

const refName = (ref: string) => ref.replace(/^#\/definitions\//, '');

/** The root definitions and every definition they reference, stripped. */
export function deriveSubset(all: Definitions, roots: string[]): Definitions {
  const out: Definitions = {};
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (out[name]) continue;
    const def = all[name];
    if (!def) throw new Error(`definition ${name} is not in the spec`);
    out[name] = strip(def);
    const visit = (s: Schema | boolean | undefined): void => {
      if (!s || typeof s === 'boolean') return;
      if (s.$ref) queue.push(refName(s.$ref));
      visit(s.items);
      visit(s.additionalProperties);
      for (const p of Object.values(s.properties ?? {})) visit(p);
    };
    visit(def);
  }
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, out[k]!]),
  );
}

export function deriveSubsetFile(specDir: string): SubsetFile {
  const from: SubsetFile['provenance']['from'] = {};
  const versions: SubsetFile['versions'] = {};
  for (const v of K8S_VERSIONS) {
    const file = `v${v}.json.gz`;
    const bytes = readFileSync(join(specDir, file));
    from[v] = {
      file: `shared/data/openapi/${file}`,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    versions[v] = deriveSubset(JSON.parse(gunzipSync(bytes).toString('utf8')).definitions, ROOT_KINDS);
  }
  return {
    provenance: {
      derivedBy:
        'pnpm exec tsx test/support/derive-k8s-schemas.ts --specs ../shared/data/openapi (structure only: descriptions and patch hints removed; upstream provenance in shared/data/openapi/SOURCES.md)',
      from,
      rootKinds: ROOT_KINDS,
      versionsSha256: createHash('sha256').update(JSON.stringify(versions)).digest('hex'),
    },
    versions,
  };
}

export const serializeSubset = (f: SubsetFile) => `${JSON.stringify(f, null, 1)}\n`;
