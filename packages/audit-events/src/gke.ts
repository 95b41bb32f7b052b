import type { AuditEvent } from './event.js';
import type { StepResult } from './result.js';
import { validateEvent } from './validate.js';

// gRPC status codes in Cloud Audit records, mapped to the HTTP codes the apiserver would log.
const GRPC_TO_HTTP: Readonly<Record<number, number>> = { 0: 200, 3: 400, 5: 404, 6: 409, 7: 403, 16: 401 };

/**
 * GKE exports apiserver audit as Cloud Audit Logging records. Map the fields upgrade-radar needs:
 * methodName "io.k8s.<group>.<version>.<resource>.<verb>" and resourceName
 * "<group>/<version>/namespaces/<ns>/<resource>/<name>" (non-resource: "io.k8s.get" + "readyz").
 */
export function fromGkeRecord(rec: Record<string, unknown>): StepResult<AuditEvent> {
  const p = rec.protoPayload as Record<string, unknown>;
  const method = String(p.methodName ?? '');
  const verb = method.split('.').pop() ?? '';
  const resourceName = String(p.resourceName ?? '');
  const parts = resourceName.split('/');
  const meta = (p.requestMetadata ?? {}) as Record<string, unknown>;
  const auth = (p.authenticationInfo ?? {}) as Record<string, unknown>;
  const status = (p.status ?? {}) as Record<string, unknown>;
  const op = (rec.operation ?? {}) as Record<string, unknown>;
  let objectRef: AuditEvent['objectRef'];
  let requestURI = `/${resourceName}`;
  if (parts.length >= 3) {
    const [group, version, ...rest] = parts;
    const nsIdx = rest[0] === 'namespaces' && rest.length >= 3 ? 2 : 0;
    const namespace = nsIdx ? rest[1] : undefined;
    const [resource, name, subresource] = rest.slice(nsIdx);
    objectRef = {
      apiGroup: group === 'core' ? '' : group,
      apiVersion: version,
      resource,
      namespace,
      name,
      subresource,
    };
    requestURI = `${group === 'core' ? '/api' : `/apis/${group}`}/${version}/${rest.join('/')}`;
  }
  return validateEvent({
    auditID: rec.insertId ?? op.id,
    stage: op.last === false ? 'RequestReceived' : 'ResponseComplete',
    verb,
    requestURI,
    user: { username: auth.principalEmail },
    userAgent: meta.callerSuppliedUserAgent,
    sourceIPs: typeof meta.callerIp === 'string' ? [meta.callerIp] : undefined,
    objectRef,
    responseStatus: { code: GRPC_TO_HTTP[Number(status.code ?? 0)] ?? 500 },
    requestReceivedTimestamp: rec.timestamp,
    annotations: rec.labels,
  });
}
