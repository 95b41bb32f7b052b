// Fixtures for the catalog's tests (and other packages' tests): small Swagger documents.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Schema, SwaggerDoc } from './spec.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/**
 * The reference specs, committed without their prose (testdata/openapi, made from ../shared/data by
 * `pnpm data:check --write`): same file names, definitions and paths as upstream's documents.
 */
export const SPEC_DIR = resolve(REPO_ROOT, 'testdata/openapi');
/** Upstream's lifecycle tags (lifecycle.tsv) and type fixtures reduced to their shape (fixtures/). */
export const KUBE_API_DIR = resolve(REPO_ROOT, 'testdata/kube-api');

/** The upstream documents the committed specs come from: the hashes the catalog records. */
export function upstreamSpecs(): Array<{ file: string; sha256: string }> {
  const manifest = JSON.parse(readFileSync(resolve(SPEC_DIR, 'manifest.json'), 'utf8')) as Array<{
    file: string;
    upstreamSha256: string;
  }>;
  return manifest.map((m) => ({ file: m.file, sha256: m.upstreamSha256 }));
}

/** Upstream's own documents (with their prose), beside the repository when ../shared is there. */
export const UPSTREAM_SPEC_DIR = resolve(REPO_ROOT, '../shared/data/openapi');

/** Upstream's document when present (benchmarks time the real size), else the committed copy. */
export function upstreamOrCommittedSpecPath(minor: string): string {
  const p = resolve(UPSTREAM_SPEC_DIR, `v${minor}.json.gz`);
  return existsSync(p) ? p : specPath(minor);
}

export function specPath(minor: string, partial = false): string {
  const p = resolve(SPEC_DIR, partial ? 'partial' : '', `v${minor}.json.gz`);
  if (!existsSync(p)) throw new Error(`reference spec missing: ${p}`);
  return p;
}

export interface FixtureKind {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** Schema of `spec` (inline, as CRDs publish it). */
  spec: Schema;
  namespaced?: boolean;
}

/** A live-cluster-like /openapi/v2 document with CRD kinds (inline schemas, paths with the GVK). */
export function crdSpec(kinds: FixtureKind[], infoVersion = 'v1.27.3'): SwaggerDoc {
  const definitions: Record<string, Schema> = {
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
      type: 'object',
      properties: {
        name: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  };
  const paths: SwaggerDoc['paths'] = {};
  for (const k of kinds) {
    const gvk = { group: k.group, version: k.version, kind: k.kind };
    const reversed = k.group.split('.').reverse().join('.');
    definitions[`${reversed}.${k.version}.${k.kind}`] = {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
        spec: k.spec,
        status: { type: 'object', properties: { ready: { type: 'boolean' } } },
      },
      'x-kubernetes-group-version-kind': [gvk],
    };
    const base = `/apis/${k.group}/${k.version}${k.namespaced === false ? '' : '/namespaces/{namespace}'}/${k.plural}`;
    paths[base] = { get: { 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': gvk } };
    paths[`${base}/{name}`] = {
      put: { 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk },
    };
    paths[`${base}/{name}/status`] = { put: { 'x-kubernetes-group-version-kind': gvk } };
  }
  return { swagger: '2.0', info: { version: infoVersion }, definitions, paths };
}
