import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';
import { bodyOptionsOf, storeConfigOf } from './views.js';

describe('config views', () => {
  it('gives the body options their own names, never the variables', () => {
    const cfg = loadConfig({
      INGEST_FIELD_PATHS: '0',
      INGEST_BODY_DENYLIST: 'configmaps, apps/deployments',
      INGEST_MAX_PATHS: '7',
      INGEST_MAX_PATH_DEPTH: '3',
      INGEST_LIST_SAMPLE: '2',
    });
    expect(bodyOptionsOf(cfg)).toEqual({
      extract: false,
      deny: ['configmaps', 'apps/deployments'],
      limits: { maxPaths: 7, maxDepth: 3, listSample: 2 },
    });
  });

  it('parses booleans as true/false/1/0 and refuses anything else by name', () => {
    expect(loadConfig({}).INGEST_FIELD_PATHS).toBe(true);
    expect(loadConfig({ INGEST_FIELD_PATHS: 'false' }).INGEST_FIELD_PATHS).toBe(false);
    expect(loadConfig({ INGEST_FIELD_PATHS: '1' }).INGEST_FIELD_PATHS).toBe(true);
    expect(() => loadConfig({ INGEST_FIELD_PATHS: 'maybe' })).toThrow(
      /INGEST_FIELD_PATHS: must be true or false/,
    );
  });

  it('takes the store data directory from the caller over the environment', () => {
    const cfg = loadConfig({ RADAR_DATA_DIR: '/var/radar', CLICKHOUSE_DATABASE: 'radar_x' });
    expect(storeConfigOf(cfg)).toMatchObject({ dataDir: '/var/radar', database: 'radar_x' });
    expect(storeConfigOf(cfg, '/tmp/d').dataDir).toBe('/tmp/d');
  });
});
