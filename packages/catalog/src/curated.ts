import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CatalogInputError } from './errors.js';
import { minorSchema } from './model.js';

const replacement = z
  .object({ group: z.string(), version: z.string().min(1), servedSince: minorSchema.optional() })
  .strict();
const source = z.string().startsWith('curated: ');

/** A group/version whose kinds were deprecated and/or removed (one row of k8s-facts §1). */
const apiEntry = z
  .object({
    group: z.string(),
    version: z.string().min(1),
    kinds: z.array(z.string().min(1)).min(1),
    deprecatedIn: minorSchema.optional(),
    removedIn: minorSchema.optional(),
    replacement: replacement.optional(),
    source,
  })
  .strict();

/**
 * Fields added in a release, anchored either on a type (every place the type occurs in every kind:
 * a PodSpec field lands in Pods, Deployments, CronJobs...) or on kinds (paths from the object root).
 */
const fieldEntry = z
  .object({
    since: minorSchema,
    type: z.string().optional(),
    kinds: z
      .array(z.object({ group: z.string(), kind: z.string(), version: z.string().optional() }).strict())
      .optional(),
    paths: z.array(z.string().min(1)).min(1),
    ifOmitted: z.string().optional(),
    featureGate: z.string().optional(),
    source,
  })
  .strict()
  .refine((e) => (e.type === undefined) !== (e.kinds === undefined), 'give exactly one of type or kinds');

const defaultEntry = z
  .object({
    group: z.string(),
    version: z.string(),
    kind: z.string(),
    path: z.string(),
    since: minorSchema,
    oldDefault: z.unknown(),
    newDefault: z.unknown(),
    replacement: replacement.optional(),
    source,
  })
  .strict();

const storageEntry = z
  .object({
    group: z.string(),
    kind: z.string(),
    since: minorSchema,
    oldStorageVersion: z.string(),
    newStorageVersion: z.string(),
    source,
  })
  .strict();

/** A reference document that is not what its file name says (see its source). */
const documentEntry = z
  .object({
    file: z.string().min(1),
    /** The document holds changes up to this minor: a change first seen in it took effect in [its minor, holdsUpTo]. */
    holdsUpTo: minorSchema,
    source,
  })
  .strict();

/** Why the catalog departs from upstream's lifecycle tag for a kind (the conformance test holds them to it). */
const tagNoteEntry = z
  .object({
    group: z.string(),
    version: z.string().min(1),
    kinds: z.array(z.string().min(1)).min(1),
    field: z.enum(['introduced', 'deprecated', 'removed']),
    tag: z.union([minorSchema, z.literal('')]),
    catalog: z.union([minorSchema, z.literal('')]),
    source,
  })
  .strict();

export const curatedSchema = z
  .object({
    about: z.string(),
    documents: z.array(documentEntry),
    apis: z.array(apiEntry),
    fields: z.array(fieldEntry),
    removedFields: z.array(fieldEntry),
    defaults: z.array(defaultEntry),
    storage: z.array(storageEntry),
    tagNotes: z.array(tagNoteEntry),
  })
  .strict();

export type Curated = z.infer<typeof curatedSchema>;
export type CuratedField = Curated['fields'][number];

export const CURATED_PATH = new URL('../data/curated.json', import.meta.url);

export function loadCurated(path: string | URL = CURATED_PATH): Curated {
  const res = curatedSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!res.success) {
    const issues = res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new CatalogInputError(`${String(path)}: bad curated catalog: ${issues}`);
  }
  return res.data;
}
