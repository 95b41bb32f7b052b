import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envSchema, loadConfig } from './env.js';

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const cfg = loadConfig({});
    expect(cfg.KAFKA_TOPIC).toBe('k8s-audit');
    expect(cfg.KAFKA_DLQ_TOPIC).toBe('k8s-audit.dlq');
    expect(cfg.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(cfg.CLICKHOUSE_URL).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    expect(() =>
      loadConfig({ HTTP_PORT: 'eighty', CLICKHOUSE_DATABASE: 'drop table', WEBHOOK_TOKEN: 'short' }),
    ).toThrow(ConfigError);
    try {
      loadConfig({ HTTP_PORT: 'eighty', CLICKHOUSE_DATABASE: 'drop table' });
    } catch (e) {
      expect((e as Error).message).toMatch(/HTTP_PORT/);
      expect((e as Error).message).toMatch(/CLICKHOUSE_DATABASE: must be a plain identifier/);
    }
  });

  it('is documented: every variable appears in the README configuration table', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    const keys = Object.keys((envSchema.in as unknown as { shape: Record<string, unknown> }).shape);
    expect(keys.length).toBeGreaterThan(20);
    const missing = keys.filter((k) => !readme.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
