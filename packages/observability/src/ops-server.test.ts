import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { opsResponse } from './ops-routes.js';
import { type OpsServer, startOpsServer } from './ops-server.js';

describe('ops server', () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves metrics, health with what is wrong, and 404 elsewhere', async () => {
    const registry = new Registry();
    new Counter({ name: 'radar_test_total', help: 'a test counter', registers: [registry] }).inc(3);
    let problem: string | null = null;
    server = await startOpsServer({ host: '127.0.0.1', port: 0, registry, health: () => problem });
    const get = (p: string) => fetch(`http://127.0.0.1:${server!.port}${p}`);

    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^radar_test_total 3$/m);
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    problem = 'partition 3 stalled';
    const sick = await get('/readyz');
    expect(sick.status).toBe(503);
    expect(await sick.json()).toEqual({ status: 'unhealthy', problem: 'partition 3 stalled' });
    expect((await get('/nope')).status).toBe(404);
  });

  it('answers 500 with the reason when collecting metrics fails', async () => {
    const registry = new Registry();
    new Counter({
      name: 'radar_broken_total',
      help: 'throws on collect',
      registers: [registry],
      collect() {
        throw new Error('collector broke');
      },
    });
    expect(await opsResponse('/metrics', registry, () => null)).toEqual({
      status: 500,
      contentType: 'text/plain',
      body: 'collector broke',
    });
  });
});
