import type { DecodeOptions } from '@radar/audit-events';
import { UserAgentParser } from '@radar/client-identity';
import { type BodyOptions, createBodyConfig } from '@radar/field-paths';
import {
  type ApiserverIndex,
  type BatchOutcome,
  type InputMessage,
  processBatch,
  RecentRequests,
} from '@radar/ingest';
import type { ApiserverIdentity } from '@radar/tagger';

/** What a decoder needs; plain data, so a decode thread gets it as it is. */
export interface DecoderConfig {
  cluster: string;
  decode: DecodeOptions;
  bodies: BodyOptions;
  userAgentCacheSize: number;
  /** Requests remembered to drop near-in-time duplicates without a query (0: none). */
  recentCapacity: number;
  /** The thread's young generation (default 128 MB: fewer, cheaper collections; RSS for it). */
  youngGenerationMb?: number;
}

/** One partition's fetched batch, as the consumer got it. */
export interface DecodeRequest {
  topic: string;
  partition: number;
  messages: readonly { value: Buffer | null; offset: string }[];
  /** Where the rows say they came from; `kafka:<topic>` unless given (file ingest: `file:<path>`). */
  source?: string;
  /** The apiserver that served these requests, when the source names it (`--apiserver`, `?apiserver=`). */
  apiserver?: ApiserverIdentity | undefined;
  /**
   * Per message, the apiserver its Kafka headers name (messages of one batch may come from
   * different apiservers); entry 0 falls back to `apiserver`. Moved to a decode thread, so the
   * caller must not read it after.
   */
  apiservers?: ApiserverIndex | undefined;
}

/** A decoded batch: processBatch's outcome, minus requests this decoder saw recently. */
export interface DecodedBatch extends BatchOutcome {
  /** Rows dropped as recent duplicates (already sent to storage by this decoder). */
  duplicates: number;
}

/** decode -> validate -> tag -> encode -> drop recent duplicates, wherever it runs. */
export interface Decoder {
  decode(req: DecodeRequest): Promise<DecodedBatch>;
  /** Forget recent requests: after a rebalance a remembered batch may never have been stored. */
  reset(): void;
}

/**
 * The decoding work on the caller's thread; the decode threads run exactly this. The recent
 * memory lives here, next to the rows, so the event loop never hashes a request key; a
 * partition always goes to the same decoder, so its batches are seen in order.
 */
export function createLocalDecoder(cfg: DecoderConfig) {
  const parser = new UserAgentParser(cfg.userAgentCacheSize);
  const deps = {
    parseUserAgent: (ua: string | undefined) => parser.parse(ua),
    bodies: createBodyConfig(cfg.bodies),
  };
  const recent = new RecentRequests(cfg.recentCapacity);
  return {
    decode(req: {
      topic: string;
      source?: string;
      apiserver?: ApiserverIdentity | undefined;
      apiservers?: ApiserverIndex | undefined;
      messages: readonly InputMessage[];
    }): DecodedBatch {
      const source = req.source ?? `kafka:${req.topic}`;
      const out = processBatch(
        req.messages,
        {
          tagger: { cluster: cfg.cluster, source, apiserver: req.apiserver },
          decode: cfg.decode,
          apiservers: req.apiservers,
        },
        deps,
      );
      const { fresh, duplicates } = recent.admit(out.rows);
      return { ...out, rows: fresh, duplicates };
    },
    reset: () => recent.clear(),
  };
}

/** In-process decoder (INGEST_DECODE_THREADS=0, and tests). */
export function inProcessDecoder(cfg: DecoderConfig): Decoder {
  const local = createLocalDecoder(cfg);
  return {
    decode: async (req) =>
      local.decode({
        topic: req.topic,
        ...(req.source === undefined ? {} : { source: req.source }),
        apiserver: req.apiserver,
        apiservers: req.apiservers,
        messages: req.messages.map((m) => ({
          value: m.value,
          partition: req.partition,
          offset: Number(m.offset),
        })),
      }),
    reset: local.reset,
  };
}
