import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../support/events.js';
import { queryDataDir, type RadarProcess, startProcess } from '../support/processes.js';

// Which apiserver served a request (issue 11, item 2): each apiserver's webhook kubeconfig names
// itself in the URL; `radar serve` stores it on every row of the POST.
const running: RadarProcess[] = [];
afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
});

const list = (items: unknown[]) =>
  JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items });

describe('webhook apiserver identity', () => {
  it('stores ?apiserver= and ?apiserver_version= (or the X-Radar-Apiserver headers) per row; refuses bad ones with 400', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-hook-apiserver-'));
    const serve = startProcess('services/cli/src/main.ts', { RADAR_DATA_DIR: dir }, [
      'serve',
      '--no-scheduler',
      '--port',
      '0',
    ]);
    running.push(serve);
    const port = await serve.port;
    const post = (query: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${port}/audit${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    expect(
      (await post('?apiserver=cp-1&apiserver_version=v1.27.9', list([auditEvent({}, 1), auditEvent({}, 2)])))
        .status,
    ).toBe(200);
    const viaHeaders = await post('', list([auditEvent({}, 3)]), {
      'x-radar-apiserver': 'cp-2',
      'x-radar-apiserver-version': 'v1.28.3',
    });
    expect(viaHeaders.status).toBe(200);
    expect((await post('', list([auditEvent({}, 4)]))).status).toBe(200);
    const bad = await post('?apiserver=cp%201', list([auditEvent({}, 5)]));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('apiserver "cp 1"');
    const versionOnly = await post('?apiserver_version=v1.28.3', list([auditEvent({}, 6)]));
    expect(versionOnly.status).toBe(400);
    serve.child.kill('SIGTERM');
    expect(await serve.exited, serve.output().slice(-2000)).toBe(0);

    const rows = await queryDataDir<{ audit_id: string; apiserver: string; apiserver_version: string }>(
      dir,
      'SELECT audit_id, apiserver, apiserver_version FROM audit_events FINAL ORDER BY apiserver, audit_id',
    );
    expect(rows.map((r) => `${r.apiserver}@${r.apiserver_version}`)).toEqual([
      '@',
      'cp-1@v1.27.9',
      'cp-1@v1.27.9',
      'cp-2@v1.28.3',
    ]);
    const seen = await queryDataDir<{ apiserver: string }>(
      dir,
      "SELECT DISTINCT apiserver FROM cluster_versions_hourly WHERE apiserver != '' ORDER BY apiserver",
    );
    expect(seen.map((r) => r.apiserver)).toEqual(['cp-1', 'cp-2']);
  });
});
