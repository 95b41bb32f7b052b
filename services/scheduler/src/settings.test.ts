import { loadConfig } from '@radar/config';
import { describe, expect, it } from 'vitest';
import { resolveSettings, SchedulerConfigError } from './settings.js';

describe('resolveSettings', () => {
  it('carries every job setting, so jobs never read the configuration', () => {
    const s = resolveSettings(
      loadConfig({
        UPGRADE_CURRENT_VERSION: '1.24',
        UPGRADE_TARGET_VERSION: '1.25',
        ALERT_CLUSTER_VERSION: 'v1.25.3',
        ALERT_LOOKBACK_MS: '60000',
        ALERT_INGEST_GRACE_MS: '5000',
      }),
    );
    expect(s.upgrade).toMatchObject({ current: '1.24', target: '1.25' });
    expect(s.alerts).toMatchObject({ clusterVersion: '1.25' });
    expect(s.alertTimings).toMatchObject({ lookbackMs: 60_000, graceMs: 5_000 });
    expect(s.rankWindowMs).toBeGreaterThan(0);
  });

  it('names every bad variable in one error', () => {
    expect(() =>
      resolveSettings(loadConfig({ UPGRADE_CURRENT_VERSION: '1.25', UPGRADE_TARGET_VERSION: '1.24' })),
    ).toThrow(SchedulerConfigError);
    expect(() => resolveSettings(loadConfig({ UPGRADE_CURRENT_VERSION: '1.25' }))).toThrow(
      /set both, or neither/,
    );
  });
});
