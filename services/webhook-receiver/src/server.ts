import { timingSafeEqual } from 'node:crypto';
import { type Logger, OPS_PATHS, opsResponse } from '@radar/observability';
import Fastify, { type FastifyInstance } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import { apiserverOf, BadApiserver } from './apiserver.js';
import { bodyEncoding, decodeBody, HttpError } from './body.js';
import { type Accepted, BadBody, BodyTooLarge, type EventSink, SpoolFull } from './sink.js';

export interface WebhookConfig {
  host: string;
  port: number;
  /** Bigger bodies (as sent, compressed or not) get 413; the apiserver's batches are a few MB. */
  bodyLimitBytes: number;
  /** A gzip body inflating to more than this gets 413. */
  maxDecodedBytes: number;
  /** When set, requests must carry `Authorization: Bearer <token>` (the webhook kubeconfig's token). */
  token?: string | undefined;
  path: string;
  /** Time for a request's headers to arrive (node's headersTimeout); then 408 and close. */
  headersTimeoutMs: number;
  /** Time for a whole request, body included (node's requestTimeout); then 408 and close. */
  requestTimeoutMs: number;
  /** An idle connection (keep-alive between batches included) is closed after this. */
  idleTimeoutMs: number;
}

/**
 * The apiserver's audit webhook backend POSTs an EventList per batch. We answer 200 once every
 * event is durable or dead-lettered (acknowledged by Kafka, fsynced to radar serve's spool, or
 * inserted), so a failure makes the apiserver retry instead of dropping them; a body we cannot
 * take at all is 413, never a 200.
 * A request is authenticated before its body is read, and a body left unread closes the
 * connection, so an unauthenticated client cannot make us read (or drain) 32 MiB.
 */
export async function startWebhookServer(
  cfg: WebhookConfig,
  deps: { sink: EventSink; registry: Registry; log: Logger; health?: () => string | null },
): Promise<{ app: FastifyInstance; port: number; close(): Promise<void> }> {
  const metrics = webhookMetrics(deps.registry);
  // node checks header/request timeouts on this interval (default 30 s): keep it below them.
  const checkEvery = Math.max(50, Math.min(30_000, Math.floor(cfg.headersTimeoutMs / 2)));
  const app = Fastify({
    bodyLimit: cfg.bodyLimitBytes,
    logger: false,
    requestTimeout: cfg.requestTimeoutMs,
    connectionTimeout: cfg.idleTimeoutMs,
    http: {
      headersTimeout: Math.min(cfg.headersTimeoutMs, cfg.requestTimeoutMs || cfg.headersTimeoutMs),
      requestTimeout: cfg.requestTimeoutMs,
      connectionsCheckingInterval: checkEvery,
    },
  });
  // Raw bytes: UTF-8 and JSON are checked by the pipeline, which names the problem.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    const enc = bodyEncoding(req.headers['content-encoding']);
    if (enc instanceof HttpError) return done(enc, undefined);
    decodeBody(enc, body as Buffer, cfg.maxDecodedBytes).then(
      (b) => done(null, b),
      (e: Error) => done(e, undefined),
    );
  });

  const expected = cfg.token ? Buffer.from(`Bearer ${cfg.token}`) : undefined;
  // Before the body is read (fastify parses it after onRequest).
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'POST' || req.routeOptions.url !== cfg.path) return;
    if (expected) {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected))
        return reply.code(401).send({ error: 'missing or wrong bearer token' });
    }
    const enc = bodyEncoding(req.headers['content-encoding']);
    if (enc instanceof HttpError) return reply.code(enc.statusCode).send({ error: enc.message });
  });
  app.addHook('onSend', async (req, reply) => {
    // Answered before the body was read: close rather than let node drain the rest of it.
    if (!req.raw.complete) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (_req, reply) => {
    metrics.requests.inc({ status: String(reply.statusCode) });
  });

  app.post(cfg.path, async (req, reply) => {
    const body = req.body as Buffer | undefined;
    if (!body || body.length === 0)
      return reply.code(400).send({ error: 'empty body: expected an audit EventList' });
    try {
      const res = await deps.sink.accept(body, {
        apiserver: apiserverOf(req.query as Record<string, unknown> | undefined, req.headers),
      });
      metrics.count(res);
      if (res.rejected.length > 0)
        deps.log.warn(
          { rejected: res.rejected.slice(0, 10), rejectedCount: res.rejectedCount },
          'rejected audit events',
        );
      return reply.code(200).send(res);
    } catch (e) {
      if (e instanceof BadBody || e instanceof BadApiserver)
        return reply.code(400).send({ error: e.message });
      if (e instanceof BodyTooLarge) return reply.code(413).send({ error: e.message });
      if (e instanceof SpoolFull) {
        deps.log.warn({ err: e.message }, 'spool full: POST refused with 503');
        return reply.code(503).header('retry-after', '5').send({ error: e.message });
      }
      deps.log.error({ err: (e as Error).message }, 'could not store audit events');
      return reply.code(503).send({ error: 'storage unavailable, retry' });
    }
  });
  // The same ops routes as every worker's ops server (@radar/observability).
  const health = deps.health ?? (() => null);
  for (const path of OPS_PATHS) {
    app.get(path, async (_req, reply) => {
      const r = (await opsResponse(path, deps.registry, health))!;
      return reply.code(r.status).header('content-type', r.contentType).send(r.body);
    });
  }
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    const code = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    const tooLarge = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    reply.code(code).send({ error: tooLarge ? `body larger than ${cfg.bodyLimitBytes} bytes` : err.message });
  });
  await app.listen({ host: cfg.host, port: cfg.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  return { app, port, close: () => app.close() };
}

function webhookMetrics(registry: Registry) {
  const received = new Counter({
    name: 'radar_webhook_events_total',
    help: 'Events received by the audit webhook, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'radar_webhook_requests_total',
    help: 'Webhook requests by HTTP status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const written = new Counter({
    name: 'radar_webhook_dead_letters_written_total',
    help: 'Rejected events kept in dead_letters by the webhook',
    registers: [registry],
  });
  const notKept = new Counter({
    name: 'radar_webhook_dead_letters_not_kept_total',
    help: 'Rejected events over a dead-letter cap (per request or per minute), counted only',
    labelNames: ['reason', 'cap'] as const,
    registers: [registry],
  });
  return {
    requests,
    count(res: Accepted): void {
      if ('queued' in res) {
        received.inc({ outcome: 'queued' }, res.queued);
        received.inc({ outcome: 'rejected' }, res.rejectedCount);
        return;
      }
      received.inc({ outcome: 'accepted' }, res.events - res.rejectedCount);
      received.inc({ outcome: 'rejected' }, res.rejectedCount);
      written.inc(res.deadLetters.written);
      for (const [reason, n] of Object.entries(res.deadLetters.overRequestCap))
        notKept.inc({ reason, cap: 'request' }, n);
      for (const [reason, n] of Object.entries(res.deadLetters.overMinuteCap))
        notKept.inc({ reason, cap: 'minute' }, n);
    },
  };
}
