import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { KindEvidence, Observation } from './field-evidence.js';
import type { LifecycleFact } from './kube-api.js';
import type { KindLifecycle } from './lifecycle.js';
import { gvkKey } from './resources.js';

// Facts derived from ../shared/data (structure only: kinds, field paths, minors; no description
// text), committed so that the catalog's conformance tests run in a clone without ../shared.

export const FIELDS_PATH = new URL('../data/generated/fields.json.gz', import.meta.url);
export const LIFECYCLE_PATH = new URL('../data/generated/lifecycle.tsv', import.meta.url);

interface FieldsFile {
  about: string;
  sources: Array<{ file: string; sha256: string }>;
  kinds: Array<{
    group: string;
    version: string;
    kind: string;
    resource: string;
    observations: Array<[label: string, lo: number, hi: number]>;
    /** path -> which observations have it, as a hex bit set over `observations`. */
    paths: Record<string, string>;
  }>;
}

/** The field evidence of every non-alpha kind, gzip'd JSON (gzip without a timestamp: stable bytes). */
export function serializeFields(evidence: KindEvidence[], sources: FieldsFile['sources']): Buffer {
  const file: FieldsFile = {
    about:
      'Derived by packages/catalog/scripts/generate.ts from ../shared/data/openapi and ../shared/data/kube-api/fixtures: per kind, each document and fixture that holds it and the field paths it has. Do not edit.',
    sources,
    kinds: evidence.map((ev) => {
      const all = new Set<string>();
      for (const o of ev.observations) for (const p of o.paths) all.add(p);
      const paths: Record<string, string> = {};
      for (const p of [...all].sort()) {
        let bits = 0n;
        ev.observations.forEach((o, i) => {
          if (o.paths.has(p)) bits |= 1n << BigInt(i);
        });
        paths[p] = bits.toString(16);
      }
      return {
        group: ev.group,
        version: ev.version,
        kind: ev.kind,
        resource: ev.resource,
        observations: ev.observations.map((o) => [o.label, o.lo, o.hi] as [string, number, number]),
        paths,
      };
    }),
  };
  return gzipSync(`${JSON.stringify(file)}\n`, { level: 9 });
}

export function parseFields(bytes: Uint8Array): KindEvidence[] {
  const file = JSON.parse(gunzipSync(bytes).toString('utf8')) as FieldsFile;
  return file.kinds.map((k) => {
    const sets = k.observations.map(() => new Set<string>());
    for (const [p, hex] of Object.entries(k.paths)) {
      const bits = BigInt(`0x${hex}`);
      sets.forEach((s, i) => {
        if ((bits >> BigInt(i)) & 1n) s.add(p);
      });
    }
    const observations: Observation[] = k.observations.map(([label, lo, hi], i) => ({
      label,
      lo,
      hi,
      paths: sets[i]!,
    }));
    return { group: k.group, version: k.version, kind: k.kind, resource: k.resource, observations };
  });
}

export function loadCommittedFields(): KindEvidence[] {
  return parseFields(readFileSync(FIELDS_PATH));
}

/** One row of the committed lifecycle.tsv: upstream's newest tag for a kind, and the kind's resource. */
export interface LifecycleRow {
  group: string;
  version: string;
  kind: string;
  resource: string;
  tag: string;
  introduced: string;
  deprecated: string;
  removed: string;
  replacement: string;
}

const LIFE_COLUMNS: Array<keyof LifecycleRow> = [
  'group',
  'version',
  'kind',
  'resource',
  'tag',
  'introduced',
  'deprecated',
  'removed',
  'replacement',
];

/**
 * Every kind of lifecycle.tsv (newest tag per kind) with its resource ('' when it is not a stored
 * resource: Scale, AdmissionReview, ...).
 */
export function serializeLifecycle(
  facts: LifecycleFact[],
  lives: KindLifecycle[],
  source: { file: string; sha256: string },
): string {
  const byKey = new Map(lives.map((l) => [gvkKey(l), l]));
  const rows = facts.map((f): LifecycleRow => {
    const l = byKey.get(gvkKey(f));
    return {
      group: f.group,
      version: f.version,
      kind: f.kind,
      resource: l?.resource ?? '',
      tag: f.tag,
      introduced: f.introduced ?? '',
      deprecated: f.deprecated ?? '',
      removed: f.removed ?? '',
      replacement: f.replacement ?? '',
    };
  });
  const head = [
    `# Derived by packages/catalog/scripts/generate.ts from ../shared/data/kube-api/${source.file} (sha256 ${source.sha256}),`,
    '# itself from zz_generated.prerelease-lifecycle.go of kubernetes/api tags v0.19.0..v0.36.0: the newest tag per kind.',
    '# resource: the plural the OpenAPI documents serve the kind at (empty: not a stored resource). Do not edit.',
  ];
  const lines = rows.map((r) => LIFE_COLUMNS.map((c) => r[c]).join('\t'));
  return `${[...head, LIFE_COLUMNS.join('\t'), ...lines].join('\n')}\n`;
}

export function parseLifecycleRows(text: string): LifecycleRow[] {
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const [header, ...body] = lines;
  if (header !== LIFE_COLUMNS.join('\t')) throw new Error('lifecycle.tsv: unexpected columns');
  return body.map((line) => {
    const cells = line.split('\t');
    const row = {} as Record<keyof LifecycleRow, string>;
    LIFE_COLUMNS.forEach((c, i) => {
      row[c] = cells[i] ?? '';
    });
    return row;
  });
}

export function loadCommittedLifecycle(): LifecycleRow[] {
  return parseLifecycleRows(readFileSync(LIFECYCLE_PATH, 'utf8'));
}
