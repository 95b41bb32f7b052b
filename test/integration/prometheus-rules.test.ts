import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportedMetricNames, metricNamesIn, unknownMetrics } from '../support/metric-names.js';
import { REPO_ROOT } from '../support/repo.js';

const exec = promisify(execFile);
const DIR = join(REPO_ROOT, 'deploy/prometheus');
const RULES = join(DIR, 'rules.yaml');

/** promtool's exit code and output (installed by infra/setup.sh --test, Debian's prometheus package). */
async function promtool(args: string[], cwd = DIR) {
  try {
    const r = await exec('promtool', args, { cwd });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number | string; stdout?: string; stderr?: string };
    if (err.code === 'ENOENT') throw new Error('promtool not found: run bash infra/setup.sh --test');
    return { code: Number(err.code), out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

interface Rule {
  alert: string;
  expr: string;
}
const rules: Rule[] = parse(readFileSync(RULES, 'utf8')).groups.flatMap((g: { rules: Rule[] }) => g.rules);

const tmp = mkdtempSync(join(tmpdir(), 'radar-rules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('deploy/prometheus/rules.yaml', () => {
  it('passes promtool check rules', async () => {
    const r = await promtool(['check', 'rules', 'rules.yaml']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`SUCCESS: ${rules.length} rules found`);
  });

  it('passes promtool test rules, with a test case for every rule', async () => {
    const r = await promtool(['test', 'rules', 'rules.test.yaml']);
    expect(r.code, r.out).toBe(0);
    const tests = parse(readFileSync(join(DIR, 'rules.test.yaml'), 'utf8')).tests as {
      alert_rule_test: { alertname: string; exp_alerts: unknown[] }[];
    }[];
    const cases = tests.flatMap((t) => t.alert_rule_test);
    for (const rule of rules) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${rule.alert} fires in a test`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${rule.alert} stays quiet in a test`,
      ).toBe(true);
    }
  });

  it('has unit tests that fail when a threshold is changed', async () => {
    const broken = readFileSync(RULES, 'utf8').replace(
      '/ sum by (namespace) (rate(radar_ingest_events_total[10m])) > 0.05',
      '/ sum by (namespace) (rate(radar_ingest_events_total[10m])) > 0.5',
    );
    expect(broken).not.toBe(readFileSync(RULES, 'utf8'));
    writeFileSync(join(tmp, 'rules.yaml'), broken);
    copyFileSync(join(DIR, 'rules.test.yaml'), join(tmp, 'rules.test.yaml'));
    const r = await promtool(['test', 'rules', 'rules.test.yaml'], tmp);
    expect(r.code).toBe(1);
    expect(r.out).toContain('alertname: RadarDeadLetterRateHigh');
  });

  it('uses only metrics the services export (or the documented pending and exporter ones)', () => {
    expect(exportedMetricNames().has('radar_ingest_rejected_total')).toBe(true);
    const used = rules.flatMap((r) => metricNamesIn(r.expr));
    expect(used).toContain('radar_alert_deliveries_total');
    expect(unknownMetrics(used)).toEqual([]);
    expect(unknownMetrics(['radar_ingest_made_up_total'])).toEqual(['radar_ingest_made_up_total']);
  });

  it('is the file the Helm chart installs as a PrometheusRule', () => {
    const chartCopy = join(REPO_ROOT, 'deploy/helm/upgrade-radar/files/prometheus-rules.yaml');
    expect(readFileSync(chartCopy, 'utf8'), 'copy deploy/prometheus/rules.yaml to the chart').toBe(
      readFileSync(RULES, 'utf8'),
    );
  });
});
