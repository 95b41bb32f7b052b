import type { z } from 'zod';
import { placeholdersOf, type Query } from './query.js';

type Def = { type: string; element?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType };

function defOf(s: z.ZodType): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

/** Which ClickHouse parameter types a zod schema can fill (optional/default/nullable unwrapped). */
function fits(schema: z.ZodType, chType: string): boolean {
  const d = defOf(schema);
  switch (d.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'readonly':
      return fits(d.innerType!, chType);
    case 'pipe':
      return fits(d.in!, chType);
    case 'date':
      return /^(Date|Date32|DateTime|DateTime64\(.*\))$/.test(chType);
    case 'string':
    case 'enum':
      return chType === 'String' || /^LowCardinality\(String\)$/.test(chType);
    case 'number':
    case 'int':
      return /^(U?Int\d+|Float(32|64))$/.test(chType);
    case 'boolean':
      return chType === 'Bool' || chType === 'UInt8';
    case 'array': {
      const inner = /^Array\((.*)\)$/.exec(chType)?.[1];
      return inner !== undefined && fits(d.element!, inner);
    }
    default:
      return false;
  }
}

/**
 * Disagreements between a query's SQL and its parameter schema: a placeholder the schema lacks,
 * a schema key no placeholder uses, a type the schema cannot fill. Empty when they agree.
 */
export function paramMismatches(q: Query<z.ZodObject, z.ZodObject>): string[] {
  const types = placeholdersOf(q.source().sql);
  const shape = q.params.shape as Record<string, z.ZodType>;
  const out: string[] = [];
  for (const [name, type] of types) {
    const s = shape[name];
    if (!s) out.push(`${q.name}: {${name}:${type}} has no parameter`);
    else if (!fits(s, type))
      out.push(`${q.name}: {${name}:${type}} does not fit its schema (${defOf(s).type})`);
  }
  for (const name of Object.keys(shape)) {
    if (!types.has(name)) out.push(`${q.name}: parameter ${name} is not in the SQL`);
  }
  return out;
}
