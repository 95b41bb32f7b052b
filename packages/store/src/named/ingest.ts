import { z } from 'zod';
import { defineQuery } from '../query.js';
import { count, strings, text } from './common.js';

export const ingestStoredRequests = defineQuery({
  name: 'ingest_stored_requests',
  // Epoch seconds (Float64): the batch's own time range widened by the caller.
  params: z.object({ cluster: z.string(), from: z.number(), to: z.number(), ids: strings }),
  row: z.object({ audit_id: text, ts_ms: count, stage_rank: count }),
});

export const ingestStoredInRange = defineQuery({
  name: 'ingest_stored_in_range',
  params: z.object({
    cluster: z.string(),
    from: z.number(),
    to: z.number(),
    cap: z.number().int().positive(),
  }),
  row: z.object({ audit_id: text, ts_ms: count, stage_rank: count }),
});
