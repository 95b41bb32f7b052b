import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('names the service on every line and honours the level', () => {
    const log = createLogger('ingest-worker', 'warn');
    expect(log.level).toBe('warn');
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('error')).toBe(true);
    expect(log.bindings()).toMatchObject({ service: 'ingest-worker' });
  });

  it('refuses an unknown level', () => {
    expect(() => createLogger('x', 'loud')).toThrow(/loud/);
  });
});
