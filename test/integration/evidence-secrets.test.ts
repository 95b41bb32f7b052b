import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consumeAll, createTopic, produce, uniqueName } from '../support/kafka.js';
import {
  metric,
  queryDataDir,
  type RadarProcess,
  runRadar,
  startProcess,
  waitFor,
} from '../support/processes.js';

// No stored column anywhere holds a value from a request body: Secrets and ConfigMaps with known
// values go in through every door (radar ingest, the all-in-one webhook with its dead_letters,
// the Kafka worker with its DLQ topic), then every String/Array column of every table is scanned.

const tag = randomUUID().slice(0, 8);
const V = {
  secretData: Buffer.from(`secret-data-${tag}`).toString('base64'),
  stringData: `string-data-${tag}`,
  annotation: `annotation-value-${tag}`,
  label: `label-value-${tag}`,
  cmData: `cm-data-${tag}`,
  cmBinary: Buffer.from(`cm-binary-${tag}`).toString('base64'),
  jsonPatch: `json-patch-${tag}`,
  mergePatch: `merge-patch-${tag}`,
  response: `response-${tag}`,
  rejected: `rejected-body-${tag}`,
  dlq: `dlq-body-${tag}`,
};
const VALUES = Object.values(V);

let seq = 0;
function event(verb: string, resource: string, body: unknown, over: Record<string, unknown> = {}) {
  const name = resource === 'secrets' ? 'db-credentials' : 'app-config';
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: randomUUID(),
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/payments/${resource}/${name}`,
    verb,
    user: { username: 'system:serviceaccount:payments:vault-sync', groups: ['system:serviceaccounts'] },
    sourceIPs: ['10.4.2.17'],
    userAgent: 'vault-sync/v0.0.0 (linux/amd64) kubernetes/$Format',
    objectRef: { resource, namespace: 'payments', name, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    requestObject: body,
    responseObject: { kind: resource === 'secrets' ? 'Secret' : 'ConfigMap', data: { echo: V.response } },
    requestReceivedTimestamp: new Date(Date.now() - 3_600_000 + seq++ * 1000).toISOString(),
    stageTimestamp: new Date(Date.now() - 3_600_000 + seq * 1000).toISOString(),
    ...over,
  };
}

const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'db-credentials',
    namespace: 'payments',
    labels: { tier: V.label },
    annotations: { 'vault.example.com/source': V.annotation },
  },
  type: 'Opaque',
  data: { password: V.secretData },
  stringData: { token: V.stringData },
};
const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app-config', namespace: 'payments', labels: { tier: V.label } },
  data: { 'app.properties': V.cmData },
  binaryData: { 'logo.png': V.cmBinary },
};
const corpus = [
  event('create', 'secrets', secret),
  event('update', 'secrets', secret),
  event('patch', 'secrets', { stringData: { token: V.mergePatch } }),
  event('patch', 'secrets', [{ op: 'replace', path: '/data/password', value: V.jsonPatch }]),
  event('get', 'secrets', undefined),
  event('create', 'configmaps', configMap),
  event('update', 'configmaps', configMap),
  event('patch', 'configmaps', [{ op: 'add', path: '/data/extra', value: V.jsonPatch }]),
  event('patch', 'configmaps', { data: { 'app.properties': V.mergePatch } }),
];

/** Every String, Array(String), Map and groupUniqArray state column of every table holding a value. */
async function leaks(dataDir: string): Promise<string[]> {
  const cols = await queryDataDir<{ table: string; name: string; type: string }>(
    dataDir,
    "SELECT table, name, type FROM system.columns WHERE database = 'radar' AND table NOT LIKE '.inner%'",
  );
  const tables = await queryDataDir<{ name: string; engine: string }>(
    dataDir,
    "SELECT name, engine FROM system.tables WHERE database = 'radar'",
  );
  const stored = new Set(tables.filter((t) => t.engine !== 'MaterializedView').map((t) => t.name));
  const scans: { col: string; sql: string }[] = [];
  for (const c of cols) {
    if (!stored.has(c.table)) continue;
    const col = `\`${c.name}\``;
    let text: string | undefined;
    if (/^AggregateFunction\(groupUniqArray/.test(c.type)) text = `toString(finalizeAggregation(${col}))`;
    else if (/String|Array|Map/.test(c.type) && !c.type.startsWith('AggregateFunction'))
      text = `toString(${col})`;
    if (text) scans.push({ col: `${c.table}.${c.name}`, sql: `SELECT ${text} AS v FROM \`${c.table}\`` });
  }
  expect(scans.length).toBeGreaterThan(40); // audit_events alone has 30+ text columns
  const cond = VALUES.map((v) => `position(v, '${v}') > 0`).join(' OR ');
  const union = scans.map((x) => `SELECT '${x.col}' AS col, v FROM (${x.sql})`).join(' UNION ALL ');
  const hits = await queryDataDir<{ col: string; excerpt: string }>(
    dataDir,
    `SELECT col, substring(v, 1, 200) AS excerpt FROM (${union}) WHERE ${cond} LIMIT 20`,
  );
  return hits.map((h) => `${h.col}: ${h.excerpt}`);
}

const radarEnv = (dataDir: string) => ({ RADAR_DATA_DIR: dataDir, RADAR_CLUSTER_NAME: 'payments-eu' });
const running: RadarProcess[] = [];
afterAll(async () => {
  for (const p of running) {
    p.child.kill('SIGTERM');
    await p.exited;
  }
});

describe('request bodies never reach storage', () => {
  it('radar ingest stores paths of Secrets and ConfigMaps, no value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-ev-secrets-'));
    const file = join(dir, 'audit.jsonl');
    writeFileSync(file, `${corpus.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const res = await runRadar(['ingest', '--file', file], radarEnv(dir));
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      eventsRead: corpus.length,
      requestsStored: corpus.length,
    });
    const rows = await queryDataDir<{
      verb: string;
      resource: string;
      request_paths: string[];
      request_paths_status: string;
    }>(dir, 'SELECT verb, resource, request_paths, request_paths_status FROM audit_events ORDER BY ts');
    // the fields are known, their values are not
    expect(rows[1]).toEqual({
      verb: 'update',
      resource: 'secrets',
      request_paths: [
        'apiVersion',
        'data',
        'kind',
        'metadata',
        'metadata.annotations',
        'metadata.labels',
        'metadata.name',
        'metadata.namespace',
        'stringData',
        'type',
      ],
      request_paths_status: 'complete',
    });
    expect(rows[3]).toMatchObject({ request_paths: ['data'], request_paths_status: 'complete' });
    expect(rows[4]).toMatchObject({ verb: 'get', request_paths: [], request_paths_status: '' });
    expect(await leaks(dir)).toEqual([]);
  });

  it('the all-in-one webhook keeps rejected events in dead_letters without their bodies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-ev-serve-'));
    const serve = startProcess('services/cli/src/main.ts', radarEnv(dir), [
      'serve',
      '--no-scheduler',
      '--port',
      '0',
    ]);
    running.push(serve);
    const port = await serve.port;
    const bad = event('frobnicate', 'secrets', { data: { password: V.rejected } });
    const body = JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: [...corpus, bad],
    });
    const res = await fetch(`http://127.0.0.1:${port}/audit`, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ events: corpus.length + 1, stored: corpus.length });
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    const dead = await queryDataDir<{ reason: string; payload: string }>(
      dir,
      'SELECT reason, payload FROM dead_letters',
    );
    expect(dead.map((d) => d.reason)).toEqual(['unknown-verb']);
    expect(dead[0]!.payload).toContain(bad.auditID); // what identifies the event is kept
    expect(await leaks(dir)).toEqual([]);
  });

  it('the Kafka worker sends rejected events to the DLQ without their bodies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-ev-worker-'));
    const topic = uniqueName('audit_ev');
    await createTopic(topic, 1);
    const bad = event('update', 'secrets', { data: { password: V.dlq } }, { stage: 'NotAStage' });
    await produce(topic, [
      ...corpus.map((e) => ({ key: e.auditID, value: JSON.stringify(e) })),
      { key: bad.auditID, value: JSON.stringify(bad) },
      { key: 'broken', value: `{"auditID":"broken","requestObject":{"data":{"password":"${V.dlq}"}` },
    ]);
    const worker = startProcess('services/ingest-worker/src/main.ts', {
      ...radarEnv(dir),
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: uniqueName('ev_ingest'),
    });
    running.push(worker);
    const port = await worker.port; // started: the DLQ topic exists
    const dlq = await consumeAll(`${topic}.dlq`, 2, 120_000);
    expect(dlq.map((m) => m.headers['radar-reason']).sort()).toEqual(['invalid-json', 'unknown-stage']);
    for (const m of dlq) for (const v of VALUES) expect(m.value ?? '').not.toContain(v);
    expect(dlq.find((m) => m.key === bad.auditID)?.value).toContain('"objectRef"');
    await waitFor(
      'the corpus stored',
      async () => (await metric(port, 'radar_ingest_rows_inserted_total')) >= corpus.length,
    );
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await leaks(dir)).toEqual([]);
  });
  it('radar webhook in front of Kafka reduces Secret bodies to paths before the topic', async () => {
    const topic = uniqueName('audit_hook');
    await createTopic(topic, 1);
    const hook = startProcess('services/cli/src/main.ts', { KAFKA_TOPIC: topic }, ['webhook']);
    running.push(hook);
    const port = await hook.port;
    const body = JSON.stringify({ kind: 'EventList', items: corpus });
    const res = await fetch(`http://127.0.0.1:${port}/audit`, { method: 'POST', body });
    expect(res.status).toBe(200);
    const got = await consumeAll(topic, corpus.length, 60_000);
    const secrets = got.map((m) => JSON.parse(m.value!)).filter((e) => e.objectRef.resource === 'secrets');
    expect(secrets).toHaveLength(5);
    for (const e of secrets) expect(e).not.toHaveProperty('responseObject');
    const update = secrets.find((e) => e.verb === 'update');
    expect(update.requestObject.$radarPaths).toContain('stringData');
    const secretText = JSON.stringify(secrets);
    for (const v of [
      V.secretData,
      V.stringData,
      V.annotation,
      V.label,
      V.mergePatch,
      V.jsonPatch,
      V.response,
    ])
      expect(secretText).not.toContain(v);
    // ConfigMaps are not on the deny list: the worker reduces them, as the previous test shows
    expect(got.some((m) => m.value?.includes(V.cmData))).toBe(true);
  });
});
