/** What the URL says about a request, for events whose objectRef is missing or partial. */
export interface UriParts {
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
}

const EMPTY: UriParts = {
  apiGroup: '',
  apiVersion: '',
  namespace: '',
  resource: '',
  name: '',
  subresource: '',
};

/**
 * Mirrors the apiserver's RequestInfo rules: /api/<v>/... (core) and /apis/<group>/<v>/...,
 * optionally namespaces/<ns>/, then <resource>[/<name>[/<subresource>]]. Query string ignored.
 */
export function parseRequestUri(uri: string): UriParts {
  const q = uri.indexOf('?');
  const segs = (q === -1 ? uri : uri.slice(0, q)).split('/').filter(Boolean);
  let i: number;
  const out = { ...EMPTY };
  if (segs[0] === 'api' && segs.length >= 2) {
    out.apiVersion = segs[1]!;
    i = 2;
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    out.apiGroup = segs[1]!;
    out.apiVersion = segs[2]!;
    i = 3;
  } else {
    return out;
  }
  if (segs[i] === 'watch') i++; // legacy /api/v1/watch/... paths
  if (segs[i] === 'namespaces' && segs.length > i + 2) {
    out.namespace = segs[i + 1]!;
    i += 2;
  }
  out.resource = segs[i] ?? '';
  out.name = segs[i + 1] ?? '';
  out.subresource = segs[i + 2] ?? '';
  if (out.resource === 'namespaces' && out.name && !out.namespace) out.namespace = out.name;
  return out;
}
