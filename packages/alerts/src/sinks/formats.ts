import { createHash } from 'node:crypto';
import type { Alert } from '../types.js';
import type { SinkConfig } from './config.js';
import type { HttpRequest, RetryPolicy } from './http.js';

/** A destination: how alerts become HTTP requests, and how hard to try each request. */
export interface Sink {
  name: string;
  type: SinkConfig['type'];
  policy: RetryPolicy;
  /** Splits alerts into requests; each names the alerts whose delivery it decides. */
  requests(alerts: readonly Alert[], now: Date): { alertIds: string[]; request: HttpRequest }[];
}

const policyOf = (c: SinkConfig): RetryPolicy => ({
  timeoutMs: c.timeoutMs,
  retries: c.retries,
  backoffMs: c.backoffMs,
});

/** Generic JSON webhook: `{source, kind, sentAt, alerts:[Alert]}`, up to 100 alerts per POST. */
export function webhookSink(c: Extract<SinkConfig, { type: 'webhook' }>): Sink {
  return {
    name: c.name,
    type: 'webhook',
    policy: policyOf(c),
    requests: (alerts, now) =>
      chunk(alerts, 100).map((batch) => ({
        alertIds: batch.map((a) => a.id),
        request: {
          url: c.url,
          // Same alerts, same key: a receiver can drop a redelivery after a lost response.
          headers: { ...c.headers, 'idempotency-key': digest(batch.map((a) => a.id).join(',')) },
          body: JSON.stringify({
            source: 'upgrade-radar',
            kind: 'post-upgrade-alerts',
            sentAt: now,
            alerts: batch,
          }),
        },
      })),
  };
}

/** Slack incoming webhook: one message of blocks per up to maxAlertsPerMessage alerts. */
export function slackSink(c: Extract<SinkConfig, { type: 'slack' }>): Sink {
  return {
    name: c.name,
    type: 'slack',
    policy: policyOf(c),
    requests: (alerts) =>
      chunk(alerts, c.maxAlertsPerMessage).map((batch) => ({
        alertIds: batch.map((a) => a.id),
        request: { url: c.url, headers: {}, body: JSON.stringify(slackMessage(batch)) },
      })),
  };
}

function slackMessage(alerts: readonly Alert[]): object {
  const title = `upgrade-radar: ${alerts.length} post-upgrade alert${alerts.length === 1 ? '' : 's'}`;
  const blocks: object[] = [{ type: 'header', text: { type: 'plain_text', text: title } }];
  for (const a of alerts) {
    const head = `*[${a.severity.toUpperCase()}]* \`${a.client.name || '(no user agent)'} ${a.client.version}\` on \`${a.group || 'core'}/${a.resource}\` (${a.cluster}, v${a.clusterVersion})`;
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `${head}\n${escapeSlack(a.summary)}`.slice(0, 2900) },
    });
    const context = `owners: ${a.owners.join(', ') || '-'} · users: ${a.users.join(', ') || '-'} · namespaces: ${a.namespaces.join(', ') || '-'} · audit IDs: ${a.sampleAuditIds.join(', ')}`;
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: escapeSlack(context).slice(0, 2900) }],
    });
  }
  return { text: title, blocks };
}

/** Slack treats &, < and > as control characters in mrkdwn. */
function escapeSlack(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Alertmanager API v2: POST <url>/api/v2/alerts with one alert per client and resource. */
export function alertmanagerSink(c: Extract<SinkConfig, { type: 'alertmanager' }>): Sink {
  const base = c.url.replace(/\/+$/, '');
  const url = base.endsWith('/api/v2/alerts') ? base : `${base}/api/v2/alerts`;
  return {
    name: c.name,
    type: 'alertmanager',
    policy: policyOf(c),
    requests: (alerts, now) =>
      chunk(alerts, 100).map((batch) => ({
        alertIds: batch.map((a) => a.id),
        request: {
          url,
          headers: { ...c.headers },
          body: JSON.stringify(
            batch.map((a) => ({
              labels: {
                ...c.labels,
                alertname: 'KubernetesClientUpgradeRisk',
                severity: a.severity,
                cluster: a.cluster,
                client: a.client.name || '(no user agent)',
                client_version: a.client.version,
                api_group: a.group || 'core',
                resource: a.resource,
                // The guard's own denials and warnings route apart from version-based findings.
                ...(a.guard ? { guard_verdict: a.guard.verdict } : {}),
                // Comma-joined so Alertmanager routes can match a team with a regex.
                ...(a.owners.length > 0 ? { owners: a.owners.join(',') } : {}),
              },
              annotations: {
                summary: a.summary,
                description: describeChanges(a),
                alert_id: a.id,
                requests: String(a.requests),
                sample_audit_ids: a.sampleAuditIds.join(','),
              },
              startsAt: a.firstSeen,
              endsAt: new Date(now.getTime() + c.resolveAfterMs).toISOString(),
            })),
          ),
        },
      })),
  };
}

/** One line per change, capped so a resource with dozens of new fields stays a readable annotation. */
function describeChanges(a: Alert, max = 20): string {
  // The guard's alerts say what it did to each field; their changes may have no catalog version.
  if (a.guard)
    return (
      a.guard.fields.map((f) => `guard ${a.guard!.verdict} ${f}`).join('\n') || `guard ${a.guard.verdict}`
    );
  const lines = a.changes
    .slice(0, max)
    .map(
      (ch) => `${ch.change} ${ch.group || 'core'}/${ch.version} ${ch.path ?? ch.resource} since ${ch.since}`,
    );
  if (a.changes.length > max) lines.push(`... and ${a.changes.length - max} more`);
  return lines.join('\n');
}

export function createSink(c: SinkConfig): Sink {
  switch (c.type) {
    case 'webhook':
      return webhookSink(c);
    case 'slack':
      return slackSink(c);
    case 'alertmanager':
      return alertmanagerSink(c);
  }
}

function chunk<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function digest(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}
