import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Change } from '@radar/catalog';

/** Test helpers: a small catalog, audit_events rows and loopback HTTP receivers acting as sinks. */

const c = (
  change: Change['change'],
  group: string,
  version: string,
  resource: string,
  since: string,
  path?: string,
): Change => ({
  change,
  group,
  version,
  kind: resource,
  resource,
  since,
  source: 'test',
  ...(path ? { path } : {}),
});

export const ALERT_TEST_CATALOG: Change[] = [
  c('field-added', 'apps', 'v1', 'statefulsets', '1.22', 'spec.minReadySeconds'),
  c('field-added', 'apps', 'v1', 'statefulsets', '1.23', 'spec.persistentVolumeClaimRetentionPolicy'),
  c('field-added', 'apps', 'v1', 'statefulsets', '1.26', 'spec.ordinals'),
  c('default-changed', '', 'v1', 'services', '1.21', 'spec.internalTrafficPolicy'),
  c('field-added', 'batch', 'v1', 'jobs', '1.25', 'spec.podFailurePolicy'),
  c('gvk-deprecated', 'batch', 'v1beta1', 'cronjobs', '1.21'),
  c('gvk-removed', 'batch', 'v1beta1', 'cronjobs', '1.25'),
];

export interface RowSpec {
  client: string;
  /** Kubernetes minor of the client; 0 = unknown. */
  kube: number;
  verb: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  cluster?: string;
  namespace?: string;
  name?: string;
  ts?: Date;
  ingestedAt?: Date;
}

/** One ResponseComplete audit_events row (migration 0001 columns). */
export function auditRow(s: RowSpec): Record<string, unknown> {
  const version = s.kube ? `v1.${s.kube}.0` : 'v0.0.0';
  const ts = (s.ts ?? new Date()).toISOString();
  return {
    audit_id: randomUUID(),
    ts,
    stage: 'ResponseComplete',
    stage_rank: 3,
    level: 'Metadata',
    cluster: s.cluster ?? 'prod',
    verb: s.verb,
    api_group: s.group ?? 'apps',
    api_version: s.version ?? 'v1',
    resource: s.resource ?? 'statefulsets',
    subresource: s.subresource ?? '',
    namespace: s.namespace ?? 'ops',
    name: s.name ?? 'db',
    username: `system:serviceaccount:ops:${s.client}`,
    user_agent: `${s.client}/${version} (linux/amd64) kubernetes/abcdef0`,
    client_name: s.client,
    client_version: version,
    client_kube_minor: s.kube,
    status_code: 200,
    ...(s.ingestedAt ? { ingested_at: s.ingestedAt.toISOString() } : {}),
  };
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A loopback HTTP endpoint standing in for Slack, a webhook or Alertmanager. */
export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** ok: 200; fail: 500; hang: never answers (the sink's timeout fires). Changeable at any time. */
  mode: 'ok' | 'fail' | 'hang';
  close(): Promise<void>;
}

export async function startReceiver(mode: Receiver['mode'] = 'ok'): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (b: Buffer) => {
      text += b.toString();
    });
    req.on('end', () => {
      if (receiver.mode === 'hang') return;
      if (receiver.mode === 'fail') {
        res.writeHead(500).end('internal error');
        return;
      }
      requests.push({ path: req.url ?? '/', headers: req.headers, body: JSON.parse(text) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    mode,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}
