import type { ApiserverIndex } from '@radar/ingest';
import { type ApiserverIdentity, checkApiserver } from '@radar/tagger';

/** The headers `radar webhook` puts on each record it produces (services/webhook-receiver/src/kafka-sink.ts). */
export const APISERVER_HEADER = 'radar-apiserver';
export const APISERVER_VERSION_HEADER = 'radar-apiserver-version';

/** A Kafka header as kafkajs gives it: a repeated header is an array. */
export type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type MessageHeaders = Record<string, HeaderValue>;

export interface RefusedHeader {
  offset: string;
  /** What is wrong, naming the header (the same check and wording as the webhook's parameters). */
  error: string;
}

export interface ApiserverHeaders {
  /** Undefined when no message names an apiserver: the batch is decoded exactly as before. */
  index: ApiserverIndex | undefined;
  /** Messages whose headers were refused: stored without an identity, counted. */
  refused: number;
  /** The first few refused, for the log. */
  samples: RefusedHeader[];
}

const NAMES = {
  name: `Kafka header ${APISERVER_HEADER}`,
  version: `Kafka header ${APISERVER_VERSION_HEADER}`,
};
const MAX_SAMPLES = 3;
/** Entries a Uint16 index can address (entry 0 is "none"). */
const MAX_ENTRIES = 0xffff;
/** Raw header pairs looked up by scanning; more distinct ones in a batch go through a Map. */
const SCAN = 16;

interface Known {
  name: HeaderValue;
  version: HeaderValue;
  entry: number;
  error?: string;
}

/** Equal raw values; a byte loop, as header values are short (Buffer.equals costs a native call). */
function same(a: HeaderValue, b: HeaderValue): boolean {
  if (a === b) return true;
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
const str = (v: Buffer | string): string => (typeof v === 'string' ? v : v.toString('utf8'));
const text = (v: HeaderValue): string =>
  v === undefined ? '' : Array.isArray(v) ? v.map(str).join('\u0000') : str(v);

/**
 * Which apiserver served each message of a batch, from the headers `radar webhook` sets. Each
 * distinct pair of raw header values is checked once (`checkApiserver`, as the webhook checks
 * `?apiserver=`) and becomes an entry of the batch's table; each message gets its entry's number
 * in a Uint8Array (Uint16Array past 255 identities). A refused pair does not refuse the event: it
 * is a valid audit event whoever produced it, so it is stored without identity (apiserver '')
 * and counted (dead-lettering it would hide its client from ranking and alerts).
 */
export function apiserverHeaders(
  messages: readonly { offset: string; headers?: MessageHeaders | undefined }[],
): ApiserverHeaders {
  const table: (ApiserverIdentity | undefined)[] = [undefined];
  const known: Known[] = [];
  const byText = new Map<string, Known>();
  let of: Uint8Array | Uint16Array | undefined;
  let last: Known | undefined;
  let refused = 0;
  const samples: RefusedHeader[] = [];

  const find = (name: HeaderValue, version: HeaderValue): Known | undefined => {
    if (last && same(last.name, name) && same(last.version, version)) return last;
    const n = Math.min(known.length, SCAN);
    for (let i = 0; i < n; i++) {
      const k = known[i]!;
      if (same(k.name, name) && same(k.version, version)) return k;
    }
    return byText.size > 0 ? byText.get(`${text(name)}\n${text(version)}`) : undefined;
  };
  const learn = (name: HeaderValue, version: HeaderValue): Known => {
    const k: Known = { name, version, entry: 0 };
    const checked = check(name, version);
    if ('error' in checked) k.error = checked.error;
    else if (checked.ok) {
      if (table.length > MAX_ENTRIES) k.error = `more than ${MAX_ENTRIES} apiservers in one batch`;
      else {
        k.entry = table.length;
        table.push(checked.ok);
      }
    }
    if (known.length < SCAN) known.push(k);
    else byText.set(`${text(name)}\n${text(version)}`, k);
    return k;
  };

  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const name = m.headers?.[APISERVER_HEADER];
    const version = m.headers?.[APISERVER_VERSION_HEADER];
    if (name === undefined && version === undefined) continue;
    const k = find(name, version) ?? learn(name, version);
    last = k;
    if (k.error !== undefined) {
      refused++;
      if (samples.length < MAX_SAMPLES) samples.push({ offset: m.offset, error: k.error });
      continue;
    }
    if (k.entry === 0) continue;
    if (k.entry > 0xff && !(of instanceof Uint16Array)) of = widen(of, messages.length);
    of ??= new Uint8Array(messages.length);
    of[i] = k.entry;
  }
  return { index: of ? { table, of } : undefined, refused, samples };
}

function widen(of: Uint8Array | Uint16Array | undefined, n: number): Uint16Array {
  const wide = new Uint16Array(n);
  if (of) wide.set(of);
  return wide;
}

function check(name: HeaderValue, version: HeaderValue) {
  if (Array.isArray(name)) return { error: `${NAMES.name}: give it once` };
  if (Array.isArray(version)) return { error: `${NAMES.version}: give it once` };
  // The webhook sends an empty version header for an apiserver named without its version.
  const v = version === undefined ? undefined : str(version);
  return checkApiserver(name === undefined ? undefined : str(name), v === '' ? undefined : v, NAMES);
}
