import { z } from 'zod';

/** Kinds of change, from whole group/versions down to single fields. */
export const CHANGE_TYPES = [
  'gvk-removed',
  'gvk-deprecated',
  'gvk-added',
  'field-added',
  'field-removed',
  'default-changed',
  'storage-version-changed',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** A Kubernetes minor as the catalog writes it: '1.18'. */
export const minorSchema = z.string().regex(/^1\.\d{1,2}$/, 'must be a Kubernetes minor like 1.18');

export const changeDetailsSchema = z
  .object({
    /** Where clients of a removed/deprecated group/version (or an old default) should move to. */
    replacement: z
      .object({ group: z.string(), version: z.string().min(1), servedSince: minorSchema.optional() })
      .strict()
      .optional(),
    oldDefault: z.unknown().optional(),
    newDefault: z.unknown().optional(),
    oldStorageVersion: z.string().optional(),
    newStorageVersion: z.string().optional(),
    featureGate: z.string().optional(),
    /** What the server stores when a client that does not know the field leaves it out. */
    ifOmitted: z.string().optional(),
    /** A deprecated version's removal that upstream's lifecycle tag plans after 1.36 (not yet done). */
    plannedRemovalIn: minorSchema.optional(),
  })
  .strict();

export const changeSchema = z
  .object({
    change: z.enum(CHANGE_TYPES),
    /** API group, '' for the core group. */
    group: z.string(),
    version: z.string().min(1),
    kind: z.string().min(1),
    /** Resource plural, lower case, as in request URLs and audit objectRef.resource. */
    resource: z.string().min(1),
    /** JSON path from the object root, `[]` for list items, `*` for map values; absent for gvk-level records. */
    path: z.string().min(1).optional(),
    /** The Kubernetes minor in which the change took effect. */
    since: minorSchema,
    details: changeDetailsSchema.optional(),
    /** Where the record comes from: 'openapi diff v1.17->v1.18', 'curated: k8s-facts §1 / DG', ... */
    source: z.string().min(1),
  })
  .strict();

export type Change = z.infer<typeof changeSchema>;
export type ChangeDetails = z.infer<typeof changeDetailsSchema>;

/** Identity of a record: two records with the same key describe the same change. */
export function changeKey(c: Pick<Change, 'change' | 'group' | 'version' | 'kind' | 'path'>): string {
  return `${c.change}|${c.group}|${c.version}|${c.kind}|${c.path ?? ''}`;
}
