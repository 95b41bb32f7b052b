import {
  type AuditEvent,
  type DecodeOptions,
  type DropReason,
  decodeMessage,
  type RejectReason,
  requestKey,
  STAGE_RANK,
} from '@radar/audit-events';
import { type BodyConfig, takeRequestPaths } from '@radar/field-paths';
import {
  type ApiserverIdentity,
  type RequestPaths,
  type TaggerConfig,
  type TaggerDeps,
  tagEvent,
} from '@radar/tagger';
import { type EncodedRows, RowEncoder } from './encoded.js';

export interface InputMessage {
  value: Buffer | string | null;
  /** Kafka partition/offset, or 0 and the line number for files. */
  partition: number;
  offset: number;
}

export interface Rejected {
  /** Index of the message in the batch, so the DLQ can carry the original bytes. */
  index: number;
  reason: RejectReason;
  detail: string;
  /**
   * Where in the message the rejected item is, when the message held several (an EventList):
   * byte offsets [start, end) into its value, so a dead letter keeps that item, not the whole body.
   */
  item?: { start: number; end: number };
}

export interface BatchOutcome {
  /** Tagged and serialised, the most complete stage of each request once. */
  rows: EncodedRows;
  rejected: Rejected[];
  dropped: Partial<Record<DropReason, number>>;
  /** Events seen (accepted + rejected); an EventList counts its items. */
  events: number;
}

/**
 * Which apiserver served each message, when messages of one batch name different ones (Kafka
 * headers): the batch's distinct identities and, per message, its entry. A table and one byte or
 * two per message, so nothing is allocated per message and the index crosses to a decode thread
 * by transfer.
 */
export interface ApiserverIndex {
  /** Entry 0 is no identity (the tagger's own `apiserver`, if any). */
  table: (ApiserverIdentity | undefined)[];
  /** Per message (same order and length as the batch), its entry in `table`. */
  of: Uint8Array | Uint16Array;
}

export interface PipelineConfig {
  tagger: TaggerConfig;
  decode: DecodeOptions;
  /** Per-message apiserver identities; without it every row has `tagger.apiserver`. */
  apiservers?: ApiserverIndex | undefined;
}

export interface PipelineDeps extends TaggerDeps {
  /** How request bodies become paths (createBodyConfig); without it bodies are dropped unread. */
  bodies?: BodyConfig | undefined;
}

/**
 * decode -> validate -> bodies to paths -> tag -> serialise, one event at a time (so each event's
 * objects die young), then keep the most complete stage of each request. Pure and synchronous:
 * the consumer (in a decode thread), the webhook and file ingest share it; storage is the
 * caller's business. Request bodies leave each event right after it is decoded: only their paths
 * go on.
 */
export function processBatch(
  messages: readonly InputMessage[],
  cfg: PipelineConfig,
  deps: PipelineDeps,
): BatchOutcome {
  let inputBytes = 0;
  for (const m of messages) inputBytes += m.value?.length ?? 0;
  // Rows are about half their event's size; the encoder grows if not.
  const enc = new RowEncoder(cfg.tagger.cluster, inputBytes / 2);
  /** Audit ID -> index of its most complete stage so far (see sameRequest). */
  const best = new Map<string, number>();
  /** Requests that share an audit ID with another (anonymising collectors), by full request key. */
  let shared: Map<string, number> | undefined;
  const rejected: Rejected[] = [];
  const dropped: Partial<Record<DropReason, number>> = {};
  let events = 0;
  let accepted = 0;
  // One tagger configuration per distinct identity, built once per batch.
  const taggers = cfg.apiservers?.table.map((a) => (a ? { ...cfg.tagger, apiserver: a } : cfg.tagger));
  const of = cfg.apiservers?.of;
  messages.forEach((m, index) => {
    const tagger = taggers && of ? (taggers[of[index] ?? 0] ?? cfg.tagger) : cfg.tagger;
    if (m.value === null || m.value.length === 0) {
      dropped['empty-line'] = (dropped['empty-line'] ?? 0) + 1;
      return;
    }
    for (const r of decodeMessage(m.value, cfg.decode)) {
      events++;
      if (r.kind === 'ok') {
        accepted++;
        const ev = r.value;
        const paths = requestPaths(ev, deps.bodies);
        // Keyed by audit ID (no key string per event); a reused ID with another receive time is
        // another request, kept apart under its full key.
        let map = best;
        let key = ev.auditID;
        let prev = best.get(key);
        if (prev !== undefined && enc.received[prev] !== ev.requestReceivedTimestamp) {
          shared ??= new Map();
          map = shared;
          key = requestKey(ev);
          prev = shared.get(key);
        }
        if (prev !== undefined && enc.ranks[prev]! >= (STAGE_RANK[ev.stage] ?? 0)) continue;
        const row = tagEvent(ev, tagger, deps, { partition: m.partition, offset: m.offset }, paths);
        map.set(key, enc.add(row, ev.requestReceivedTimestamp));
      } else if (r.kind === 'dlq') {
        const rej: Rejected = { index, reason: r.reason, detail: r.detail };
        if (r.item) rej.item = r.item;
        rejected.push(rej);
      } else dropped[r.reason] = (dropped[r.reason] ?? 0) + 1;
    }
  });
  const kept = [...best.values(), ...(shared?.values() ?? [])];
  const superseded = accepted - kept.length;
  if (superseded > 0) dropped['stage-superseded'] = superseded;
  return { rows: enc.finish(shared ? kept.sort((a, b) => a - b) : kept), rejected, dropped, events };
}

function requestPaths(ev: AuditEvent, bodies: BodyConfig | undefined): RequestPaths | undefined {
  if (bodies) return takeRequestPaths(ev, bodies);
  delete ev.requestObject;
  return undefined;
}
