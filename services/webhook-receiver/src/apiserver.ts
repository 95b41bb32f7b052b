import { type ApiserverIdentity, checkApiserver } from '@radar/tagger';

/** The request names its apiserver badly: a 400 that says which parameter and why. */
export class BadApiserver extends Error {
  override readonly name = 'BadApiserver';
}

const one = (v: unknown, what: string): string | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BadApiserver(`${what}: give it once`);
  return v;
};

/**
 * Which apiserver sent this POST: `?apiserver=cp-1&apiserver_version=v1.28.3` (each apiserver's
 * webhook kubeconfig sets its own URL), or the headers `X-Radar-Apiserver` /
 * `X-Radar-Apiserver-Version`. Undefined when neither says; a version without a name is refused
 * (it could not tell two apiservers apart).
 */
export function apiserverOf(
  query: Record<string, unknown> | undefined,
  headers: Record<string, string | string[] | undefined>,
): ApiserverIdentity | undefined {
  const name = one(query?.apiserver, 'apiserver') ?? one(headers['x-radar-apiserver'], 'X-Radar-Apiserver');
  const version =
    one(query?.apiserver_version, 'apiserver_version') ??
    one(headers['x-radar-apiserver-version'], 'X-Radar-Apiserver-Version');
  const checked = checkApiserver(name, version, { name: 'apiserver', version: 'apiserver_version' });
  if ('error' in checked) throw new BadApiserver(checked.error);
  return checked.ok;
}
