import { describe, expect, it } from 'vitest';
import { parseSinkConfigs, SinkConfigError } from './config.js';

describe('parseSinkConfigs', () => {
  it('fills defaults and names sinks after their type', () => {
    const sinks = parseSinkConfigs(
      '[{"type":"slack","url":"https://hooks.slack.com/services/T/B/x"},{"type":"webhook","url":"http://a/"},{"type":"webhook","url":"http://b/"}]',
    );
    expect(sinks.map((s) => s.name)).toEqual(['slack', 'webhook', 'webhook-2']);
    expect(sinks[0]).toMatchObject({ timeoutMs: 5000, retries: 3, backoffMs: 500, maxAlertsPerMessage: 20 });
  });

  it('treats empty text as no sinks', () => {
    expect(parseSinkConfigs('  ')).toEqual([]);
  });

  it('names the source when the text is not JSON', () => {
    expect(() => parseSinkConfigs('[{type:', 'ALERT_SINKS')).toThrow(/ALERT_SINKS: not valid JSON/);
  });

  it('names the entry and field of every mistake', () => {
    const bad = [
      { type: 'webhook', url: 'ftp://x' },
      { type: 'pager', url: 'http://x' },
      { type: 'alertmanager', url: 'http://am:9093', retries: -1, colour: 'red' },
    ];
    let err: unknown;
    try {
      parseSinkConfigs(bad, 'ALERT_SINKS');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SinkConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('ALERT_SINKS[0].url: must be an http(s) URL');
    expect(msg).toMatch(/ALERT_SINKS\[1\]\.type/);
    expect(msg).toMatch(/ALERT_SINKS\[2\]\.retries/);
    expect(msg).toMatch(/colour/);
  });

  it('refuses two sinks with one name', () => {
    expect(() =>
      parseSinkConfigs([
        { type: 'webhook', url: 'http://a/', name: 'ops' },
        { type: 'slack', url: 'http://b/', name: 'ops' },
      ]),
    ).toThrow('sinks[1].name: "ops" is already used by sinks[0]');
  });

  it('refuses a list that is not an array', () => {
    expect(() => parseSinkConfigs({ type: 'webhook' })).toThrow(SinkConfigError);
  });
});
