import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '@radar/observability';
import Fastify, { type FastifyInstance } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import { BadBody, type EventSink } from './sink.js';

export interface WebhookConfig {
  host: string;
  port: number;
  /** Bigger bodies get 413; the apiserver's webhook batches are ~ a few MB at most. */
  bodyLimitBytes: number;
  /** When set, requests must carry `Authorization: Bearer <token>` (the webhook kubeconfig's token). */
  token?: string | undefined;
  path: string;
}

/**
 * The apiserver's audit webhook backend POSTs an EventList per batch. We answer 200 once the
 * events are durable (acknowledged by Kafka, or inserted), so a failure makes the apiserver
 * retry instead of dropping them. Bad events inside a good body are reported, not retried.
 */
export async function startWebhookServer(
  cfg: WebhookConfig,
  deps: { sink: EventSink; registry: Registry; log: Logger; health?: () => string | null },
): Promise<{ app: FastifyInstance; port: number; close(): Promise<void> }> {
  const received = new Counter({
    name: 'radar_webhook_events_total',
    help: 'Events received by the audit webhook, by outcome',
    labelNames: ['outcome'] as const,
    registers: [deps.registry],
  });
  const requests = new Counter({
    name: 'radar_webhook_requests_total',
    help: 'Webhook requests by HTTP status',
    labelNames: ['status'] as const,
    registers: [deps.registry],
  });
  const app = Fastify({ bodyLimit: cfg.bodyLimitBytes, logger: false });
  // Raw bytes: UTF-8 and JSON are checked by the pipeline, which names the problem.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onResponse', async (_req, reply) => {
    requests.inc({ status: String(reply.statusCode) });
  });

  const expected = cfg.token ? Buffer.from(`Bearer ${cfg.token}`) : undefined;
  app.post(cfg.path, async (req, reply) => {
    if (expected) {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        return reply.code(401).send({ error: 'missing or wrong bearer token' });
      }
    }
    const body = req.body as Buffer | undefined;
    if (!body || body.length === 0)
      return reply.code(400).send({ error: 'empty body: expected an audit EventList' });
    try {
      const res = await deps.sink.accept(body);
      received.inc({ outcome: 'accepted' }, res.events - res.rejected.length);
      received.inc({ outcome: 'rejected' }, res.rejected.length);
      if (res.rejected.length > 0)
        deps.log.warn({ rejected: res.rejected.slice(0, 10) }, 'rejected audit events');
      return reply.code(200).send(res);
    } catch (e) {
      if (e instanceof BadBody) return reply.code(400).send({ error: e.message });
      deps.log.error({ err: (e as Error).message }, 'could not store audit events');
      return reply.code(503).send({ error: 'storage unavailable, retry' });
    }
  });
  app.get('/metrics', async (_req, reply) =>
    reply.header('content-type', deps.registry.contentType).send(await deps.registry.metrics()),
  );
  app.get('/healthz', async (_req, reply) => {
    const problem = deps.health?.() ?? null;
    return reply
      .code(problem ? 503 : 200)
      .send(problem ? { status: 'unhealthy', problem } : { status: 'ok' });
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const code = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    reply
      .code(code)
      .send({ error: code === 413 ? `body larger than ${cfg.bodyLimitBytes} bytes` : err.message });
  });
  await app.listen({ host: cfg.host, port: cfg.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  return { app, port, close: () => app.close() };
}
