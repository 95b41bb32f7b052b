/**
 * Every processing step returns one of these instead of throwing: bad input is data, not an
 * exception. `dlq` goes to the dead-letter topic (or the ingest summary) with its reason;
 * `drop` is discarded on purpose and only counted.
 */
export type StepResult<T> =
  | { kind: 'ok'; value: T }
  | {
      kind: 'dlq';
      reason: RejectReason;
      detail: string;
      /** Byte range [start, end) of the rejected item in its message, when the message held several. */
      item?: ItemRange;
    }
  | { kind: 'drop'; reason: DropReason };

export interface ItemRange {
  start: number;
  end: number;
}

/** Stable, low-cardinality reasons: they label metrics and DLQ headers. */
export type RejectReason =
  | 'invalid-utf8'
  | 'too-large'
  | 'invalid-json'
  | 'not-an-event'
  | 'invalid-event'
  | 'unknown-verb'
  | 'unknown-stage'
  | 'missing-timestamp'
  /** A time JavaScript parses but the store cannot hold (outside DateTime64(3), e.g. "0", year 275760). */
  | 'invalid-timestamp'
  /** The store refused the row itself (a data error isolated from its batch), with the engine's message. */
  | 'refused-by-store';

export type DropReason = 'stage-superseded' | 'already-stored' | 'empty-line';

export const ok = <T>(value: T): StepResult<T> => ({ kind: 'ok', value });
export const dlq = <T>(reason: RejectReason, detail: string): StepResult<T> => ({
  kind: 'dlq',
  reason,
  detail,
});
export const drop = <T>(reason: DropReason): StepResult<T> => ({ kind: 'drop', reason });
