import { describe, expect, it } from 'vitest';
import { dropPathType, guardMetric, postReview } from '../support/guard.js';
import { runRadar, startProcess, waitFor } from '../support/processes.js';
import { httpsRequest, selfSignedCert } from '../support/tls.js';

// `radar guard` as users run it (the built CLI): safe when its store is down, and the webhook
// configuration it prints.
const tls = selfSignedCert();

describe('radar guard (built CLI)', () => {
  it('allows when the store is down, with the staleness metric (the built CLI)', async () => {
    const proc = startProcess(
      'services/cli/src/main.ts',
      { CLICKHOUSE_URL: 'http://127.0.0.1:1', LOG_LEVEL: 'info' },
      [
        'guard',
        'serve',
        '--from',
        '1.17',
        '--to',
        '1.18',
        '--mode',
        'deny',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--tls-cert',
        tls.certFile,
        '--tls-key',
        tls.keyFile,
        '--refresh',
        '200ms',
      ],
    );
    try {
      const port = await proc.port;
      await waitFor(
        'a failed refresh',
        async () => (await guardMetric(port, tls.cert, 'radar_guard_refresh_failures_total', '')) >= 2,
      );
      const r = await postReview(port, tls.cert, dropPathType('deploy-bot', 'deny-shop'));
      expect(r.allowed).toBe(true);
      expect(r.auditAnnotations?.verdict).toBe('undecided');
      expect(await guardMetric(port, tls.cert, 'radar_guard_table_age_seconds', '')).toBe(-1);
      expect(
        await guardMetric(port, tls.cert, 'radar_guard_reviews_total', 'outcome="undecided",allowed="true"'),
      ).toBe(1);
      expect(
        JSON.parse((await httpsRequest(port, tls.cert, { method: 'GET', path: '/healthz' })).body),
      ).toMatchObject({
        status: 'ok',
        table: 'not-loaded',
      });
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });

  it('config prints the ValidatingWebhookConfiguration for exactly the changed resources', async () => {
    const r = await runRadar([
      'guard',
      'config',
      '--from',
      '1.27',
      '--to',
      '1.28',
      '--builtin-only',
      '--ca-file',
      tls.certFile,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const { parse } = await import('yaml');
    const doc = parse(r.stdout);
    expect(doc.kind).toBe('ValidatingWebhookConfiguration');
    const wh = doc.webhooks[0];
    expect(wh).toMatchObject({ failurePolicy: 'Ignore', timeoutSeconds: 2, sideEffects: 'None' });
    expect(Buffer.from(wh.clientConfig.caBundle, 'base64').toString()).toBe(tls.cert);
    expect(wh.matchConditions).toHaveLength(2);
    for (const rule of wh.rules) expect(rule.operations).toEqual(['UPDATE']);
    const bad = await runRadar(['guard', 'config', '--from', '1.28', '--to', '1.99', '--builtin-only']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/1\.99/);
  });

  it('config --format helm-values prints the chart values; flags the chart decides itself are refused', async () => {
    const helmValues = [
      'guard',
      'config',
      '--format',
      'helm-values',
      '--from',
      '1.27',
      '--to',
      '1.28',
      '--builtin-only',
    ];
    const r = await runRadar(helmValues);
    expect(r.code, r.stderr).toBe(0);
    const { parse } = await import('yaml');
    const values = parse(r.stdout);
    expect(Object.keys(values)).toEqual(['guard']);
    expect(values.guard).toMatchObject({
      from: '1.27',
      to: '1.28',
      webhook: { name: 'guard.upgrade-radar.io' },
    });
    expect(values.guard.webhook.clientConfig).toBeUndefined();
    for (const [flag, value, message] of [
      ['--ca-file', tls.certFile, /--ca-file does not apply to --format helm-values/],
      ['--url', 'https://guard.example.com/validate', /--url does not apply to --format helm-values/],
      ['--format', 'toml', /--format toml: use yaml or helm-values/],
    ] as const) {
      const bad = await runRadar([...helmValues, flag, value]);
      expect(bad.code, flag).toBe(2);
      expect(bad.stderr).toMatch(message);
      expect(bad.stdout).toBe('');
    }
  });
});
