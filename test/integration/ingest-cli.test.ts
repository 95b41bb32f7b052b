import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import { queryDataDir, runRadar } from '../support/processes.js';
import { REPO_ROOT } from '../support/repo.js';

// Real audit samples committed under testdata/audit (provenance in its SOURCES.md).
const SAMPLES = resolve(REPO_ROOT, 'testdata/audit');
const tmp = () => mkdtempSync(join(tmpdir(), 'radar-cli-'));

async function ingest(dataDir: string, file: string, extra: string[] = [], stdin?: Buffer) {
  const r = await runRadar(['ingest', '--file', file, '--data-dir', dataDir, ...extra], {}, stdin);
  return { ...r, summary: r.stdout ? JSON.parse(r.stdout) : undefined };
}

/** A corpus the project has never seen: generated here with known clients, stages and duplicates. */
function unseenCorpus() {
  const clients = [
    [
      'kube-controller-manager/v1.29.6 (linux/amd64) kubernetes/062798d/metadata-informers',
      'kube-controller-manager',
      '1.29.6',
      29,
    ],
    [
      'cert-manager-controller/v1.14.4 (linux/amd64) kubernetes/f2a7e0b',
      'cert-manager-controller',
      '1.14.4',
      14,
    ],
    ['manager/v0.0.0 (linux/amd64) kubernetes/$Format/leader-election', 'manager', '', 0],
    ['Helm/3.14.2', 'Helm', '3.14.2', 29],
    ['OpenAPI-Generator/26.1.0/python', 'python-client', '26.1.0', 26],
  ] as const;
  const lines: string[] = [];
  const expected = new Map<string, number>();
  for (let i = 0; i < 500; i++) {
    const [ua, name] = clients[i % clients.length]!;
    const id = `req-${i}`;
    const ev = auditEvent({ auditID: id, userAgent: ua }, i);
    // Every 4th request is logged at RequestReceived too; every 10th line is written twice.
    if (i % 4 === 0)
      lines.push(JSON.stringify({ ...ev, stage: 'RequestReceived', responseStatus: undefined }));
    lines.push(JSON.stringify(ev));
    if (i % 10 === 0) lines.push(JSON.stringify(ev));
    expected.set(name, (expected.get(name) ?? 0) + 1);
  }
  return { text: `${lines.join('\n')}\n`, clients, expected, events: lines.length };
}

describe('radar ingest', () => {
  it('tags an unseen corpus with the right clients and counts each request once', async () => {
    const dir = tmp();
    const corpus = unseenCorpus();
    const file = join(dir, 'audit.log.gz');
    writeFileSync(file, gzipSync(corpus.text));
    const r = await ingest(dir, file, ['--cluster', 'unseen']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary).toMatchObject({
      eventsRead: corpus.events,
      requestsStored: 500,
      duplicates: corpus.events - 500,
      rejected: {},
    });
    const rows = await queryDataDir<{
      client_name: string;
      client_version: string;
      client_kube_minor: number;
      n: number;
    }>(
      dir,
      "SELECT client_name, client_version, client_kube_minor, count() AS n FROM audit_events FINAL WHERE cluster = 'unseen' GROUP BY ALL ORDER BY client_name",
    );
    expect(rows).toHaveLength(corpus.clients.length);
    for (const [, name, version, minor] of corpus.clients) {
      expect(rows.find((x) => x.client_name === name)).toEqual({
        client_name: name,
        client_version: version,
        client_kube_minor: minor,
        n: corpus.expected.get(name),
      });
    }
    // The same file again: everything is a duplicate, nothing stored twice.
    const again = await ingest(dir, file, ['--cluster', 'unseen']);
    expect(again.summary).toMatchObject({ requestsStored: 0, duplicates: corpus.events });
    const [total] = await queryDataDir<{ n: number }>(
      dir,
      "SELECT count() AS n FROM audit_events WHERE cluster = 'unseen'",
    );
    expect(total!.n).toBe(500);
  });

  it('ingests every shared real corpus: v1beta1 without user agents, AKS and GKE wrappers, stdin', async () => {
    const dir = tmp();
    const results = [];
    for (const f of [
      'audit2rbac-demo-2017.v1beta1.jsonl.gz',
      'falco-k8s-audit-trace-files.jsonl',
      'elastic-integrations-test-audit.log',
      'elastic-integrations-test-kube-audit.log',
      'github-issue-pasted-events.jsonl',
    ]) {
      results.push((await ingest(dir, join(SAMPLES, f))).summary);
    }
    expect(results.map((s) => [s.eventsRead, s.requestsStored, s.rejected])).toEqual([
      [757, 437, {}],
      [51, 49, {}],
      [5, 4, {}],
      [1, 1, {}],
      [2, 2, {}],
    ]);
    const viaStdin = await ingest(tmp(), '-', [], Buffer.from(`${JSON.stringify(auditEvent({}, 1))}\n`));
    expect(viaStdin.summary).toMatchObject({ source: 'stdin', requestsStored: 1 });
  });

  it('reports each bad line with its reason and file:line, and stores every good one', async () => {
    const dir = tmp();
    const good = JSON.stringify(auditEvent({}, 1));
    const file = join(dir, 'mixed.log');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(
          `${good}\n${good.slice(0, 100)}\n${JSON.stringify({ ...auditEvent({}, 2), verb: 'yeet' })}\n`,
        ),
        Buffer.from([0x7b, 0xff, 0x7d, 0x0a]),
        Buffer.from(`${JSON.stringify({ kind: 'EventList', items: [auditEvent({}, 3), { auditID: 7 }] })}\n`),
      ]),
    );
    const r = await ingest(dir, file);
    expect(r.code).toBe(0);
    expect(r.summary.requestsStored).toBe(2);
    expect(r.summary.rejected).toEqual({
      'invalid-json': 1,
      'unknown-verb': 1,
      'invalid-utf8': 1,
      'invalid-event': 1,
    });
    expect(r.summary.rejectedSamples.map((s: { where: string }) => s.where)).toEqual([
      `${file}:2`,
      `${file}:3`,
      `${file}:4`,
      `${file}:5`,
    ]);
  });

  it('stores what came before a truncated gzip and says where it broke', async () => {
    const dir = tmp();
    const body = Array.from({ length: 3000 }, (_, i) => JSON.stringify(auditEvent({}, i))).join('\n');
    const gz = gzipSync(body);
    const file = join(dir, 'cut.log.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const r = await ingest(dir, file);
    expect(r.code).toBe(1);
    expect(r.summary.error).toMatch(/cut\.log\.gz: cannot read input after line \d+/);
    expect(r.summary.requestsStored).toBeGreaterThan(0);
    const [n] = await queryDataDir<{ n: number }>(dir, 'SELECT count() AS n FROM audit_events');
    expect(n!.n).toBe(r.summary.requestsStored);
  });

  it('stores the apiserver a log came from (--apiserver), and refuses a malformed one', async () => {
    const dir = tmp();
    const file = join(dir, 'cp-2.log');
    writeFileSync(file, `${[0, 1, 2].map((i) => JSON.stringify(auditEvent({}, i))).join('\n')}\n`);
    const r = await ingest(dir, file, ['--apiserver', 'cp-2', '--apiserver-version', 'v1.28.3']);
    expect(r.code, r.stderr).toBe(0);
    expect(
      await queryDataDir(
        dir,
        'SELECT apiserver, apiserver_version, count() AS n FROM audit_events GROUP BY ALL',
      ),
    ).toEqual([{ apiserver: 'cp-2', apiserver_version: 'v1.28.3', n: 3 }]);
    const bad = await ingest(dir, file, ['--apiserver', 'cp 2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--apiserver "cp 2"');
  });

  it('refuses bad arguments with exit code 2 and a message naming them', async () => {
    const dir = tmp();
    const missing = await runRadar(['ingest', '--file', join(dir, 'nope.log'), '--data-dir', dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--file .*nope\.log: no such file/);
    const write = await runRadar(['query', '--data-dir', dir, '--sql', 'DROP TABLE audit_events']);
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(/only read-only statements/);
  });

  it('refuses standard input past --stdin-max-bytes with one line, storing nothing', async () => {
    const line = `${JSON.stringify(auditEvent({}, 1))}\n`;
    const big = Buffer.from(line.repeat(Math.ceil(200_000 / line.length)));
    const dir = tmp();
    const r = await ingest(dir, '-', ['--stdin-max-bytes', '100000'], big);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--stdin-max-bytes 100000 before it ended; nothing was stored/);
    const under = await ingest(dir, '-', ['--stdin-max-bytes', String(big.length)], big);
    expect(under.code, under.stderr).toBe(0);
    expect(under.summary).toMatchObject({ source: 'stdin' });
  });
});
