import type { Definitions, Schema } from './k8s-schemas.js';

/**
 * Validates a Kubernetes object against OpenAPI v2 definitions the way a strict apiserver
 * (kubectl --validate=strict) does for what matters to a chart: unknown fields, wrong types,
 * missing required fields, values outside an enum. Returns one message per problem, with its path.
 */
export function validateObject(obj: unknown, defs: Definitions, where: string): string[] {
  if (!isObject(obj)) return [`${where}: not an object`];
  const [group, version] = String(obj.apiVersion).includes('/')
    ? String(obj.apiVersion).split('/')
    : ['', String(obj.apiVersion)];
  const name = Object.keys(defs).find((n) =>
    defs[n]!['x-kubernetes-group-version-kind']?.some(
      (g) => g.group === group && g.version === version && g.kind === obj.kind,
    ),
  );
  if (!name) return [`${where}: no schema for ${obj.apiVersion} ${obj.kind}`];
  const errors: string[] = [];
  check(obj, { $ref: `#/definitions/${name}` }, defs, `${where} (${obj.kind})`, errors);
  return errors;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// Quantity is "type: string" in the documents, but the apiserver also takes a number (cpu: 1).
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

function check(v: unknown, s: Schema, defs: Definitions, path: string, errors: string[]): void {
  if (s.$ref) {
    const ref = s.$ref.replace(/^#\/definitions\//, '');
    const def = defs[ref];
    if (!def) {
      errors.push(`${path}: schema ${ref} is missing from the definitions`);
      return;
    }
    if (ref === QUANTITY && (typeof v === 'number' || typeof v === 'string')) return;
    check(v, def, defs, path, errors);
    return;
  }
  if (v === null) return; // null is "unset" for every optional field
  if (s.enum && !s.enum.includes(v))
    errors.push(`${path}: ${JSON.stringify(v)} is not one of ${s.enum.join(', ')}`);
  if (s.format === 'int-or-string') {
    if (!(typeof v === 'string' || Number.isInteger(v)))
      errors.push(`${path}: expected an integer or a string`);
    return;
  }
  switch (s.type) {
    case 'string':
      if (typeof v !== 'string') errors.push(`${path}: expected a string, got ${JSON.stringify(v)}`);
      return;
    case 'integer':
      if (!Number.isInteger(v)) errors.push(`${path}: expected an integer, got ${JSON.stringify(v)}`);
      return;
    case 'number':
      if (typeof v !== 'number') errors.push(`${path}: expected a number, got ${JSON.stringify(v)}`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') errors.push(`${path}: expected a boolean, got ${JSON.stringify(v)}`);
      return;
    case 'array':
      if (!Array.isArray(v)) {
        errors.push(`${path}: expected a list`);
        return;
      }
      v.forEach((item, i) => {
        check(item, s.items ?? {}, defs, `${path}[${i}]`, errors);
      });
      return;
  }
  if (s.type === 'object' || s.properties || s.additionalProperties) {
    if (!isObject(v)) {
      errors.push(`${path}: expected an object`);
      return;
    }
    for (const r of s.required ?? []) if (!(r in v)) errors.push(`${path}: missing required field ${r}`);
    for (const [k, val] of Object.entries(v)) {
      const p = s.properties?.[k];
      if (p) check(val, p, defs, `${path}.${k}`, errors);
      else if (isObject(s.additionalProperties))
        check(val, s.additionalProperties, defs, `${path}.${k}`, errors);
      else if (s.properties || s.additionalProperties === false) errors.push(`${path}: unknown field "${k}"`);
      // An object with neither properties nor additionalProperties is free-form (FieldsV1, RawExtension).
    }
  }
}
