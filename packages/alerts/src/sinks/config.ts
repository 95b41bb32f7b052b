import { z } from 'zod';

/** A sink configuration the user got wrong; the message names the entry and the field. */
export class SinkConfigError extends Error {
  override readonly name = 'SinkConfigError';
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const common = {
  /** Unique name used in delivery records; defaults to the type (then type-2, type-3 ...). */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be letters, digits, ".", "_" or "-"')
    .optional(),
  url: httpUrl,
  /** Per attempt. */
  timeoutMs: z.number().int().min(1).max(120_000).default(5_000),
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx. */
  retries: z.number().int().min(0).max(10).default(3),
  /** First retry delay; doubles each retry. */
  backoffMs: z.number().int().min(0).max(60_000).default(500),
};
const headers = z.record(z.string(), z.string());

export const sinkConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('webhook'), ...common, headers: headers.optional() }),
  z.strictObject({
    type: z.literal('slack'),
    ...common,
    /** Alerts per message (Slack allows 50 blocks). */
    maxAlertsPerMessage: z.number().int().min(1).max(40).default(20),
  }),
  z.strictObject({
    type: z.literal('alertmanager'),
    ...common,
    /** Alertmanager resolves the alert this long after the last send unless it is sent again. */
    resolveAfterMs: z
      .number()
      .int()
      .min(60_000)
      .default(2 * 3600_000),
    /** Extra static labels (e.g. team, env). */
    labels: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a label name'), z.string())
      .optional(),
    headers: headers.optional(),
  }),
]);

export type SinkConfig = z.infer<typeof sinkConfigSchema> & { name: string };

/**
 * Validates a sink list: JSON text (from an env variable or file) or an already parsed value.
 * `source` names where it came from, so errors read e.g. `ALERT_SINKS[1].url: must be an http(s) URL`.
 */
export function parseSinkConfigs(input: unknown, source = 'sinks'): SinkConfig[] {
  let value = input;
  if (typeof input === 'string') {
    if (input.trim() === '') return [];
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new SinkConfigError(`${source}: not valid JSON (${(err as Error).message})`);
    }
  }
  const res = z.array(sinkConfigSchema).safeParse(value);
  if (!res.success) {
    const lines = res.error.issues.map((i) => `  ${source}${formatPath(i.path)}: ${i.message}`);
    throw new SinkConfigError(`invalid sink configuration:\n${lines.join('\n')}`);
  }
  const seen = new Map<string, number>();
  const sinks = res.data.map((s) => {
    const n = (seen.get(s.type) ?? 0) + 1;
    seen.set(s.type, n);
    return { ...s, name: s.name ?? (n === 1 ? s.type : `${s.type}-${n}`) };
  });
  sinks.forEach((s, i) => {
    const dup = sinks.findIndex((o) => o.name === s.name);
    if (dup < i)
      throw new SinkConfigError(`${source}[${i}].name: "${s.name}" is already used by ${source}[${dup}]`);
  });
  return sinks;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}
