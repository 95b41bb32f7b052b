import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertRows, migrate, openStore } from '../../packages/store/src/index.js';
import { emulationTraffic } from '../support/emulation-traffic.js';
import { radarOnDataDir } from '../support/processes.js';

// The emulated version (--emulated-version, KEP-4330) detected from traffic, as users see it:
// `radar clusters`, and rank/alerts/plan/rollback-check judging against it when not given
// (test/support/emulation-traffic.ts holds the known answers).
const dataDir = mkdtempSync(join(tmpdir(), 'radar-emulation-'));
const radar = (args: string[]) => radarOnDataDir(dataDir, args);

beforeAll(async () => {
  const store = await openStore({ dataDir, database: 'radar' });
  try {
    await migrate(store);
    await insertRows(store, 'audit_events', emulationTraffic());
  } finally {
    await store.close();
  }
});

const EVIDENCE = 'networking.k8s.io/v1 servicecidrs (new in 1.33) 404 x4';

describe('radar clusters: the emulated version', () => {
  it('emulated 1.32 from 404s on a GV new in 1.33; successes: none; no such traffic: unknown', async () => {
    const res = await radar(['clusters', '--format', 'json', '--since', '7d']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const byName = Object.fromEntries(
      JSON.parse(res.stdout).clusters.map((c: { cluster: string; emulatedVersion: unknown }) => [
        c.cluster,
        c.emulatedVersion,
      ]),
    );
    expect(byName.emu).toMatchObject({
      status: 'emulated',
      binary: '1.33',
      minor: '1.32',
      atMost: '1.32',
      evidence: [
        {
          gv: 'networking.k8s.io/v1',
          resource: 'servicecidrs',
          addedIn: '1.33',
          notFound: 4,
          succeeded: 0,
          proves: 'below',
        },
      ],
    });
    expect(byName.emu.evidence[0].sampleAuditIds).toHaveLength(4);
    expect(byName.native).toMatchObject({ status: 'not-emulated', minor: '1.33', atLeast: '1.33' });
    expect(byName.quiet).toMatchObject({ status: 'unknown', minor: null, evidence: [] });
    // The 1.32 binary's 404s before the roll are not evidence against the 1.33 one.
    expect(byName.rolled).toMatchObject({ status: 'not-emulated', minor: '1.33' });

    const table = await radar(['clusters', '--cluster', 'emu']);
    expect(table.stdout).toContain(`1.32 (${EVIDENCE})`);
    const md = await radar(['clusters', '--format', 'md']);
    expect(md.stdout).toContain('| emulated |');
    expect(md.stdout).toMatch(/\| quiet \| 1\.33 \| unknown \|/);
  });
});

describe('commands judge against the detected emulated version', () => {
  it('rank takes --current from it and says so; a --current that disagrees is a warning', async () => {
    const res = await radar(['rank', '--target', '1.34', '--cluster', 'emu', '--format', 'json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.current).toBe('1.32');
    expect(out.derived).toEqual({
      current: '1.32',
      from: 'traffic',
      cluster: 'emu',
      emulated: { binary: '1.33', minor: '1.32', evidence: EVIDENCE },
    });
    const table = await radar(['rank', '--target', '1.34', '--cluster', 'emu']);
    expect(table.stdout).toContain('its control plane runs 1.33 emulating 1.32');

    const given = await radar(['rank', '--current', '1.33', '--target', '1.34', '--cluster', 'emu']);
    expect(given.code).toBe(0);
    expect(given.stderr).toContain(
      'radar: warning: --current 1.33 but the control plane of cluster emu serves 1.32 (binary 1.33 emulating it',
    );
    const native = await radar(['rank', '--target', '1.34', '--cluster', 'native', '--format', 'json']);
    expect(JSON.parse(native.stdout).derived).toEqual({
      current: '1.33',
      from: 'traffic',
      cluster: 'native',
    });
    const quiet = await radar(['rank', '--target', '1.34', '--cluster', 'quiet', '--format', 'json']);
    expect(JSON.parse(quiet.stdout).derived).toEqual({ current: '1.33', from: 'traffic', cluster: 'quiet' });
  });

  it('alerts check takes --cluster-version from it', async () => {
    const res = await radar(['alerts', 'check', '--cluster', 'emu', '--dry-run', '--format', 'json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).derived).toMatchObject({
      current: '1.32',
      from: 'traffic',
      emulated: { binary: '1.33' },
    });
  });

  it('plan: lifting the emulation plans 1.32 -> 1.33 (the served minor is the current one)', async () => {
    const res = await radar([
      'plan',
      '--target',
      '1.33',
      '--cluster',
      'emu',
      '--weeks',
      '1',
      '--format',
      'json',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect([out.current, out.target]).toEqual(['1.32', '1.33']);
    expect(out.derived.emulated).toEqual({ binary: '1.33', minor: '1.32', evidence: EVIDENCE });
  });

  it('rollback-check judges against the detected emulated minor; a given --emulated that disagrees is a warning', async () => {
    // rolled: 1.32 -> 1.33, not emulated (its 1.33 binary answered 200): the plain check.
    const plain = await radar(['rollback-check', '--cluster', 'rolled', '--format', 'json']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ from: '1.32', to: '1.33', ready: true });
    expect(JSON.parse(plain.stdout).emulated).toBeUndefined();
    const given = await radar([
      'rollback-check',
      '--cluster',
      'rolled',
      '--emulated',
      '1.32',
      '--format',
      'json',
    ]);
    expect(given.stderr).toContain(
      'radar: warning: --emulated 1.32 but the control plane of cluster rolled serves 1.33 (successes on APIs new in it); using 1.32',
    );
    expect(JSON.parse(given.stdout)).toMatchObject({ emulated: '1.32', ready: true });

    // twostep: the new binary emulates the old minor, so the API it serves is the old one's.
    const two = await radar(['rollback-check', '--cluster', 'twostep', '--format', 'json']);
    expect(two.stderr).toBe('');
    expect(two.code).toBe(0);
    expect(JSON.parse(two.stdout)).toMatchObject({
      from: '1.32',
      emulated: '1.32',
      emulatedFrom: 'traffic',
      ready: true,
    });
    const twoTable = await radar(['rollback-check', '--cluster', 'twostep']);
    expect(twoTable.stdout).toContain('the control plane emulates 1.32, detected from traffic');
  });
});
