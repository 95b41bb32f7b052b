import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CatalogInputError } from './errors.js';
import { asSwaggerDoc, readSpecFile } from './spec.js';
import { crdSpec, specPath } from './testing.js';

describe('readSpecFile', () => {
  let dir: string;
  const doc = crdSpec([{ group: 'x.io', version: 'v1', kind: 'A', plural: 'as', spec: { type: 'object' } }]);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'radar-spec-'));
  });

  it('reads plain and gzipped JSON alike, whatever the file is called', async () => {
    writeFileSync(join(dir, 'plain.json'), JSON.stringify(doc));
    writeFileSync(join(dir, 'zipped.json'), gzipSync(JSON.stringify(doc)));
    expect(await readSpecFile(join(dir, 'plain.json'))).toEqual(doc);
    expect(await readSpecFile(join(dir, 'zipped.json'))).toEqual(doc);
  });

  it('reads a real upstream spec', async () => {
    const spec = await readSpecFile(specPath('1.18'));
    expect(Object.keys(spec.definitions)).toHaveLength(600);
    expect(spec.info?.version).toBe('unversioned');
  });

  it('refuses truncated gzip, naming the file', async () => {
    const full = readFileSync(specPath('1.18'));
    const file = join(dir, 'cut.json.gz');
    writeFileSync(file, full.subarray(0, 5000));
    await expect(readSpecFile(file)).rejects.toThrow(CatalogInputError);
    await expect(readSpecFile(file)).rejects.toThrow(`${file}: broken gzip data`);
  });

  it('refuses JSON that is not a Swagger document', async () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ kind: 'EventList', items: [] }));
    await expect(readSpecFile(file)).rejects.toThrow(`${file}: not a Swagger/OpenAPI v2 document`);
  });

  it('refuses text that is not JSON, and a missing file', async () => {
    const file = join(dir, 'text.json');
    writeFileSync(file, 'hello');
    await expect(readSpecFile(file)).rejects.toThrow(`${file}: not JSON`);
    await expect(readSpecFile(join(dir, 'nope.json'))).rejects.toThrow(
      /cannot read the spec file \(ENOENT\)/,
    );
  });
});

describe('asSwaggerDoc', () => {
  it('refuses OpenAPI v3 with a hint', () => {
    expect(() => asSwaggerDoc({ openapi: '3.0.0', paths: {} }, 'x')).toThrow(/OpenAPI 3\.0\.0 document.*v2/);
  });
  it('refuses arrays, a swagger 1.2 document, and one without definitions', () => {
    expect(() => asSwaggerDoc([], 'x')).toThrow(/not a JSON object/);
    expect(() => asSwaggerDoc({ swaggerVersion: '1.2' }, 'x')).toThrow(/no "swagger": "2.0"/);
    expect(() => asSwaggerDoc({ swagger: '2.0' }, 'x')).toThrow(/without "definitions"/);
  });
  it('accepts a document without paths (it then has no resources)', () => {
    expect(asSwaggerDoc({ swagger: '2.0', definitions: {} }, 'x').paths).toEqual({});
  });
});
