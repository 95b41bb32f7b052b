import { readFileSync } from 'node:fs';

/**
 * Where an object's keys stop being field names. Free-form maps (labels, a ConfigMap's data,
 * resources.limits) have keys that are data: they are never paths, the map is recorded by its own
 * path and its structured values under `<map>.*` (the catalog's syntax). Opaque fields (embedded
 * raw objects, a CRD's openAPIV3Schema) are recorded by their own path only.
 */
export interface MapIndex {
  /** The shape rules of one resource ('group/resource', group '' for core). */
  forResource(objectKey: string): ResourceShape;
}

export interface ResourceShape {
  maps: ReadonlySet<string>;
  opaque: ReadonlySet<string>;
  /** False for resources the specs do not describe (CRDs): generic names and key shapes decide. */
  known: boolean;
}

interface MapsFile {
  resources: Record<string, { maps: string[]; opaque: string[] }>;
}

export const MAPS_PATH = new URL('../data/maps.json', import.meta.url);

/**
 * Map fields of every built-in kind, as named in the specs, used when a resource is not in the
 * generated index (a CRD, a resource of an unknown group/version). `selector`, `data` and others
 * are maps in some kinds and structs in others; those are left to the key-shape rule.
 */
export const GENERIC_MAP_NAMES: ReadonlySet<string> = new Set([
  'annotations',
  'labels',
  'matchLabels',
  'nodeSelector',
  'limits',
  'requests',
  'stringData',
  'binaryData',
  'volumeAttributes',
  'hard',
  'used',
  'podFixed',
  'maxLimitRequestRatio',
  'defaultRequest',
  'attachmentMetadata',
  'userAnnotations',
]);

const EMPTY: ResourceShape = { maps: new Set(), opaque: new Set(), known: false };

/** Reads the generated index once; callers hold it (no module state). */
export function loadMapIndex(path: URL | string = MAPS_PATH): MapIndex {
  const file = JSON.parse(readFileSync(path, 'utf8')) as MapsFile;
  return mapIndexOf(file.resources);
}

export function mapIndexOf(resources: MapsFile['resources']): MapIndex {
  const shapes = new Map<string, ResourceShape>();
  for (const [key, v] of Object.entries(resources)) {
    shapes.set(key, { maps: new Set(v.maps), opaque: new Set(v.opaque), known: true });
  }
  return { forResource: (key) => shapes.get(key) ?? { ...EMPTY, known: knownGroup(key) } };
}

/** Built-in groups whose resource has no map at all still count as known (no guessing by name). */
function knownGroup(key: string): boolean {
  const group = key.slice(0, key.indexOf('/'));
  return group === '' || group.endsWith('.k8s.io') || !group.includes('.');
}
