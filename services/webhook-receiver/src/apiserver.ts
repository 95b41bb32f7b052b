import type { ApiserverIdentity } from '@radar/tagger';

/** Names as a kubeconfig or a pod name gives them; nothing else is stored. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/;
const VERSION = /^v?1\.\d{1,3}\.\d{1,4}(?:[-+][0-9A-Za-z.+-]{1,64})?$/;

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
  if (name === undefined) {
    if (version !== undefined) throw new BadApiserver('apiserver_version given without apiserver (its name)');
    return undefined;
  }
  if (!NAME.test(name))
    throw new BadApiserver(
      `apiserver ${JSON.stringify(name.slice(0, 80))}: up to 63 letters, digits, '.', '_', ':' or '-', starting with a letter or digit`,
    );
  if (version !== undefined && !VERSION.test(version))
    throw new BadApiserver(
      `apiserver_version ${JSON.stringify(version.slice(0, 80))}: a Kubernetes release like v1.28.3 or v1.28.3-gke.100`,
    );
  return { name, version: version ?? '' };
}
