import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { CatalogInputError } from './errors.js';

/** The parts of an OpenAPI v2 (Swagger 2.0) schema object the catalog reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  default?: unknown;
  'x-kubernetes-group-version-kind'?: Gvk[];
}

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** A Swagger 2.0 document as served by an apiserver at /openapi/v2 or kept in kubernetes/api. */
export interface SwaggerDoc {
  swagger: string;
  info?: { version?: string };
  definitions: Record<string, Schema>;
  paths: Record<string, Record<string, unknown>>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the outline of a Swagger 2.0 document (not every schema in it: a 5 MB document is read
 * on every diff, and the walker tolerates odd schemas). `where` names the file or argument.
 */
export function asSwaggerDoc(doc: unknown, where: string): SwaggerDoc {
  if (!isObject(doc))
    throw new CatalogInputError(`${where}: not a Swagger/OpenAPI v2 document (not a JSON object)`);
  if (typeof doc.openapi === 'string') {
    throw new CatalogInputError(
      `${where}: an OpenAPI ${doc.openapi} document; the catalog reads OpenAPI v2 (a cluster's /openapi/v2, or swagger.json)`,
    );
  }
  if (typeof doc.swagger !== 'string' || !doc.swagger.startsWith('2.')) {
    throw new CatalogInputError(`${where}: not a Swagger/OpenAPI v2 document (no "swagger": "2.0" field)`);
  }
  if (!isObject(doc.definitions))
    throw new CatalogInputError(`${where}: Swagger document without "definitions"`);
  if (doc.paths !== undefined && !isObject(doc.paths)) {
    throw new CatalogInputError(`${where}: Swagger document whose "paths" is not an object`);
  }
  const info = isObject(doc.info) ? doc.info : undefined;
  return {
    swagger: doc.swagger,
    info: info && typeof info.version === 'string' ? { version: info.version } : {},
    definitions: doc.definitions as Record<string, Schema>,
    paths: (doc.paths ?? {}) as Record<string, Record<string, unknown>>,
  };
}

/** Parses file bytes: gzip is recognised by its magic bytes, not by the file name. */
export function parseSpecBytes(bytes: Uint8Array, where: string): SwaggerDoc {
  let text: string;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      text = gunzipSync(bytes).toString('utf8');
    } catch (err) {
      throw new CatalogInputError(
        `${where}: broken gzip data (${(err as Error).message}); is the file truncated?`,
      );
    }
  } else {
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CatalogInputError(`${where}: not JSON (${(err as Error).message})`);
  }
  return asSwaggerDoc(doc, where);
}

/** Reads a swagger.json / cluster /openapi/v2 dump, gzipped or not. */
export async function readSpecFile(path: string): Promise<SwaggerDoc> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CatalogInputError(`${path}: cannot read the spec file (${code ?? (err as Error).message})`);
  }
  return parseSpecBytes(bytes, path);
}
