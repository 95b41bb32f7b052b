import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  evidenceCounts,
  evidenceDrops,
  evidencePolicyVolume,
  insertRows,
  migrate,
  openStore,
  type Store,
} from '@radar/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldEvidence } from './counts.js';
import { inferClientVersions } from './infer.js';

const P = 'spec.template.spec.containers[].resizePolicy';
const BASE = Date.parse('2026-03-02T00:00:00Z');
let seq = 0;

/** One stored write, minimal columns (the rest take their defaults). */
function write(o: {
  min: number;
  client: string;
  verb?: string;
  name?: string;
  paths?: string[];
  status?: string;
  code?: number;
  group?: string;
  uri?: string;
  user?: string;
}) {
  const group = o.group ?? 'apps';
  return {
    audit_id: `id-${++seq}`,
    ts: new Date(BASE + o.min * 60_000).toISOString(),
    stage: 'ResponseComplete',
    stage_rank: 2,
    cluster: 'c1',
    verb: o.verb ?? 'update',
    api_group: group,
    api_version: 'v1',
    resource: 'deployments',
    namespace: 'ns',
    name: o.name ?? 'web',
    request_uri: o.uri ?? `/apis/${group}/v1/namespaces/ns/deployments/${o.name ?? 'web'}`,
    username: o.user ?? `sa:${o.client}`,
    client_name: o.client,
    client_version: 'v0.0.0',
    status_code: o.code ?? 200,
    request_paths: o.paths ?? ['spec', 'spec.replicas'],
    request_paths_status: o.status ?? 'complete',
  };
}
const withP = ['spec', P];

describe('evidence queries on embedded ClickHouse', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({
      dataDir: mkdtempSync(join(tmpdir(), 'radar-ev-counts-')),
      database: 'radar_ev',
    });
    await migrate(store);
    await insertRows(store, 'audit_events', [
      // web: the autoscaler sets P, the old controller's full update drops it, then omits it again
      // (nothing left to drop), the autoscaler sets it again (through extensions), dropped again.
      write({ min: 1, client: 'vpa', verb: 'patch', paths: withP }),
      write({ min: 2, client: 'old-ctl' }),
      write({ min: 3, client: 'old-ctl' }),
      write({ min: 4, client: 'vpa', verb: 'patch', paths: withP, group: 'extensions' }),
      write({ min: 5, client: 'old-ctl' }),
      // api: a failed update and a dry run omit P after it was set: no drop; a truncated body
      // tells nothing about omission
      write({ min: 1, client: 'vpa', verb: 'create', name: 'api', paths: withP }),
      write({ min: 2, client: 'old-ctl', name: 'api', code: 409 }),
      write({
        min: 3,
        client: 'old-ctl',
        name: 'api',
        uri: '/apis/apps/v1/namespaces/ns/deployments/api?dryRun=All',
      }),
      write({ min: 4, client: 'old-ctl', name: 'api', status: 'too-many-paths' }),
      // db: the new controller keeps P in its updates
      write({ min: 1, client: 'vpa', verb: 'patch', name: 'db', paths: withP }),
      write({ min: 2, client: 'new-ctl', name: 'db', paths: withP }),
      // before the window: a drop that is history only, and what it tells about `old`
      write({ min: -90, client: 'vpa', verb: 'patch', name: 'old', paths: withP }),
      write({ min: -80, client: 'old-ctl', name: 'old' }),
    ]);
  });
  afterAll(async () => store.close());

  const targets = [
    { object: 'apps/deployments', aliases: ['apps/deployments', 'extensions/deployments'], path: P },
  ];
  const window = {
    from: new Date(BASE),
    to: new Date(BASE + 3600_000),
    historyFrom: new Date(BASE - 7200_000),
  };

  it('counts set, omitted and dropped per client and lists the objects with drops', async () => {
    const rows = await fieldEvidence(store, { ...window, cluster: 'c1', targets });
    const by = Object.fromEntries(rows.map((r) => [r.clientName, r]));
    expect(by['old-ctl']).toMatchObject({
      object: 'apps/deployments',
      path: P,
      set: 0,
      omitted: 4, // web x3 and the failed update (intent); the dry run and the truncated body are not
      dropped: 2,
      dropObjects: ['ns/web'],
    });
    expect(by['new-ctl']).toMatchObject({ set: 1, omitted: 0, dropped: 0 });
    expect(by.vpa).toBeUndefined(); // patches and creates are not updates
  });

  it('uses earlier writes as history but counts only the window', async () => {
    const rows = await fieldEvidence(store, {
      from: new Date(BASE - 7200_000),
      to: new Date(BASE + 3600_000),
      targets,
    });
    const old = rows.find((r) => r.clientName === 'old-ctl');
    expect(old?.dropped).toBe(3);
    expect(old?.dropObjects).toEqual(['ns/old', 'ns/web']);
  });

  it('finds the same drops for rank (evidence_counts) and alerts (evidence_drops): one replay', async () => {
    // Objects as requests name them (alerts fold no aliases); the alert window holds every write.
    const common = { cluster: '', resources: ['deployments'], target_paths: [P], max_objects: 10 };
    const keys = [`apps/deployments|${P}`, `extensions/deployments|${P}`];
    const counted = await evidenceCounts.run(store, {
      ...common,
      from: window.from,
      to: window.to,
      history_from: window.historyFrom,
      alias_keys: [],
      alias_objects: [],
      target_objects: ['apps/deployments', 'extensions/deployments'],
      target_paths: [P, P],
      keys,
    });
    const alerted = await evidenceDrops.run(store, {
      ...common,
      from: new Date(0),
      to: new Date('2299-01-01T00:00:00Z'),
      min_ts: window.from,
      history_from: window.historyFrom,
      keys,
    });
    const drops = (rows: { client: string; object: string; dropped: number; objects: string[] }[]) =>
      rows.filter((r) => r.dropped > 0).map((r) => ({ ...r, objects: [...r.objects].sort() }));
    const fromCounts = drops(
      counted.map((r) => ({
        client: r.client_name,
        object: r.object,
        dropped: r.dropped,
        objects: r.drop_objects,
      })),
    );
    expect(fromCounts).toEqual([
      { client: 'old-ctl', object: 'apps/deployments', dropped: 1, objects: ['ns/web'] },
    ]);
    expect(
      drops(
        alerted.map((r) => ({
          client: r.client_name,
          object: `${r.api_group}/${r.resource}`,
          dropped: r.dropped,
          objects: r.objects,
        })),
      ),
    ).toEqual(fromCounts);
  });

  it('infers a lower bound per client from the fields it sent', async () => {
    const fields = [
      { ...targets[0]!, since: 33 },
      { object: 'apps/deployments', aliases: ['apps/deployments'], path: 'spec.replicas', since: 2 },
    ];
    const inferred = await inferClientVersions(store, { ...window, fields });
    expect(inferred.get('new-ctl\u0000sa:new-ctl')).toEqual({
      min: '1.33',
      minor: 33,
      basis: [`apps/deployments:${P}`],
    });
    expect(inferred.get('old-ctl\u0000sa:old-ctl')).toMatchObject({ min: '1.2' });
  });
  it('measures what the audit policy would log with bodies, per day', async () => {
    const rows = await evidencePolicyVolume.run(store, {
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-03T00:00:00Z'),
      cluster: '',
      kinds: ['apps/deployments'],
    });
    expect(rows).toEqual([
      expect.objectContaining({ day: '2026-03-01', events: 2, updates: 1, patches: 1 }),
      // the patch through extensions/deployments is not a listed kind
      expect.objectContaining({ day: '2026-03-02', events: 11, updates: 7, patches: 2 }),
    ]);
  });
});
