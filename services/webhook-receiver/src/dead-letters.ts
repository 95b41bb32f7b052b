import { createHash } from 'node:crypto';
import type { RejectReason } from '@radar/audit-events';
import { stripBodies } from '@radar/field-paths';
import type { Rejected } from '@radar/ingest';

export interface DeadLetterLimits {
  /** Payload bytes kept per dead letter (after bodies are removed). */
  maxBytes: number;
  /** Dead letters written per POST; the rest are counted, not kept. */
  perRequest: number;
  /** Dead letters written per wall-clock minute over all POSTs. */
  perMinute: number;
}

export const DEFAULT_DEAD_LETTER_LIMITS: DeadLetterLimits = {
  maxBytes: 16 * 1024,
  perRequest: 100,
  perMinute: 1000,
};

export interface DeadLetterRow {
  source: 'webhook';
  reason: RejectReason;
  detail: string;
  /** Where the payload came from: the item's byte range in the POST, or the whole POST. */
  location: string;
  payload: string;
}

type ByReason = Partial<Record<RejectReason, number>>;

export interface DeadLetterPlan {
  rows: DeadLetterRow[];
  /** Rejections not kept because the POST had more than perRequest, or the minute was used up. */
  overRequestCap: ByReason;
  overMinuteCap: ByReason;
}

/** A fixed one-minute window shared by every POST of the process. */
export class MinuteBudget {
  private minute = Number.NaN;
  private used = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes up to n from this minute's budget; returns how many were granted. */
  take(n: number): number {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.used = 0;
    }
    const granted = Math.max(0, Math.min(n, this.perMinute - this.used));
    this.used += granted;
    return granted;
  }
}

/**
 * The dead letters of one POST: each holds its own item (sliced by `Rejected.item`, or the whole
 * POST when the decoder gave no range), bodies removed, cut to maxBytes. Bounded work and memory
 * whatever the POST: only the rows kept are built, the whole POST is stripped at most once, and
 * the kept ones are taken round-robin over reasons so one flood of junk does not hide the rest.
 */
export function planDeadLetters(
  body: Buffer,
  rejected: readonly Rejected[],
  limits: DeadLetterLimits,
  budget: MinuteBudget,
  maxParseBytes: number,
): DeadLetterPlan {
  const order = roundRobin(rejected);
  const wanted = Math.min(order.length, limits.perRequest);
  const granted = budget.take(wanted);
  const overRequestCap: ByReason = {};
  const overMinuteCap: ByReason = {};
  for (let i = wanted; i < order.length; i++) bump(overRequestCap, order[i]!.reason);
  for (let i = granted; i < wanted; i++) bump(overMinuteCap, order[i]!.reason);

  let whole: { payload: string; location: string } | undefined;
  const rows: DeadLetterRow[] = [];
  for (const r of order.slice(0, granted)) {
    const range = validRange(r.item, body.length);
    let payload: string;
    let location: string;
    if (range) {
      const item = stripBodies(body.subarray(range.start, range.end), maxParseBytes).payload;
      payload = cutUtf8(item, limits.maxBytes);
      location = `bytes ${range.start}-${range.end} of the POST${cutNote(item, payload, limits)}`;
    } else if (!whole) {
      // The POST is kept once per request, with its first dead letter; the others point to it.
      const all = stripBodies(body, maxParseBytes).payload;
      const id = createHash('sha256').update(body).digest('hex').slice(0, 16);
      payload = cutUtf8(all, limits.maxBytes);
      location = `the whole POST ${id}${cutNote(all, payload, limits)}`;
      whole = { payload, location: `the whole POST ${id}, kept with its first dead letter` };
    } else {
      payload = '';
      location = whole.location;
    }
    rows.push({
      source: 'webhook',
      reason: r.reason,
      detail: wellFormed(r.detail.slice(0, 1000)),
      location,
      payload,
    });
  }
  return { rows, overRequestCap, overMinuteCap };
}

const cutNote = (full: string, kept: string, limits: DeadLetterLimits) =>
  kept.length < full.length ? `, first ${limits.maxBytes} bytes kept` : '';

/** Rejections interleaved by reason, each reason in its original order. */
function roundRobin(rejected: readonly Rejected[]): Rejected[] {
  const groups = new Map<RejectReason, Rejected[]>();
  for (const r of rejected) {
    const g = groups.get(r.reason);
    if (g) g.push(r);
    else groups.set(r.reason, [r]);
  }
  if (groups.size <= 1) return [...rejected];
  const lists = [...groups.values()];
  const out: Rejected[] = [];
  for (let i = 0; out.length < rejected.length; i++) for (const g of lists) if (i < g.length) out.push(g[i]!);
  return out;
}

function validRange(item: Rejected['item'], length: number): { start: number; end: number } | undefined {
  if (!item) return undefined;
  const { start, end } = item;
  return Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= length
    ? item
    : undefined;
}

function bump(counts: ByReason, reason: RejectReason): void {
  counts[reason] = (counts[reason] ?? 0) + 1;
}

/** At most maxBytes of UTF-8: a character cut in two is dropped, not replaced. */
export function cutUtf8(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes || Buffer.byteLength(s) <= maxBytes) return s;
  const bytes = Buffer.from(s, 'utf8').subarray(0, maxBytes);
  let end = bytes.length;
  // Back up over a partial sequence: continuation bytes, then the lead byte that needed more.
  let k = end - 1;
  while (k >= 0 && (bytes[k]! & 0xc0) === 0x80) k--;
  if (k >= 0) {
    const lead = bytes[k]!;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (end - k < need) end = k;
  }
  return bytes.subarray(0, end).toString('utf8');
}

/** Lone surrogates (JSON escapes that decoded to half a pair) become U+FFFD: the store refuses them. */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
