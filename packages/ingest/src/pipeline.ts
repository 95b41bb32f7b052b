import {
  type AuditEvent,
  type DecodeOptions,
  type DropReason,
  decodeMessage,
  keepMostCompleteStage,
  type RejectReason,
} from '@radar/audit-events';
import { type BodyConfig, takeRequestPaths } from '@radar/field-paths';
import {
  type AuditRow,
  type Position,
  type RequestPaths,
  type TaggerConfig,
  type TaggerDeps,
  tagEvent,
} from '@radar/tagger';

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
}

export interface BatchOutcome {
  rows: AuditRow[];
  rejected: Rejected[];
  dropped: Partial<Record<DropReason, number>>;
  /** Events seen (accepted + rejected); an EventList counts its items. */
  events: number;
}

export interface PipelineConfig {
  tagger: TaggerConfig;
  decode: DecodeOptions;
}

export interface PipelineDeps extends TaggerDeps {
  /** How request bodies become paths (createBodyConfig); without it bodies are dropped unread. */
  bodies?: BodyConfig | undefined;
}

/**
 * decode -> validate -> bodies to paths -> keep the most complete stage -> tag. Pure and
 * synchronous: the consumer, the webhook and file ingest share it; storage is the caller's
 * business. Request bodies leave each event right after it is decoded: only their paths go on.
 */
export function processBatch(
  messages: readonly InputMessage[],
  cfg: PipelineConfig,
  deps: PipelineDeps,
): BatchOutcome {
  const accepted: AuditEvent[] = [];
  const positions = new Map<AuditEvent, Position>();
  const paths = new Map<AuditEvent, RequestPaths>();
  const rejected: Rejected[] = [];
  const dropped: Partial<Record<DropReason, number>> = {};
  let events = 0;
  messages.forEach((m, index) => {
    if (m.value === null || m.value.length === 0) {
      dropped['empty-line'] = (dropped['empty-line'] ?? 0) + 1;
      return;
    }
    for (const r of decodeMessage(m.value, cfg.decode)) {
      events++;
      if (r.kind === 'ok') {
        const set = requestPaths(r.value, deps.bodies);
        if (set) paths.set(r.value, set);
        accepted.push(r.value);
        positions.set(r.value, { partition: m.partition, offset: m.offset });
      } else if (r.kind === 'dlq') rejected.push({ index, reason: r.reason, detail: r.detail });
      else dropped[r.reason] = (dropped[r.reason] ?? 0) + 1;
    }
  });
  const { kept, superseded } = keepMostCompleteStage(accepted);
  if (superseded > 0) dropped['stage-superseded'] = superseded;
  const rows = kept.map((ev) => tagEvent(ev, cfg.tagger, deps, positions.get(ev), paths.get(ev)));
  return { rows, rejected, dropped, events };
}

function requestPaths(ev: AuditEvent, bodies: BodyConfig | undefined): RequestPaths | undefined {
  if (bodies) return takeRequestPaths(ev, bodies);
  delete ev.requestObject;
  return undefined;
}
