/** A Grafana dashboard as deploy/grafana/*.json holds it (the parts the tests read). */
export interface Panel {
  type: string;
  title: string;
  id: number;
  datasource?: { type: string; uid: string };
  targets?: { refId: string; rawSql?: string; expr?: string; format?: number }[];
  panels?: Panel[];
}
export interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { type: string; name: string; query: string; allValue?: string }[] };
}

export interface MacroContext {
  from: Date;
  to: Date;
  intervalS: number;
  vars: Record<string, string>;
}

const sec = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * Expands the macros of grafana-clickhouse-datasource (v4) as the plugin does before sending a
 * query, and template variables as Grafana does (${name} and $name). An unknown macro throws:
 * ClickHouse would only say "syntax error".
 */
export function expandMacros(sql: string, ctx: MacroContext): string {
  const from = sec(ctx.from);
  const to = sec(ctx.to);
  const out = sql
    .replace(
      /\$__timeFilter\(([^)]+)\)/g,
      (_, c) => `${c} >= toDateTime(${from}) AND ${c} <= toDateTime(${to})`,
    )
    .replace(
      /\$__timeFilter_ms\(([^)]+)\)/g,
      (_, c) =>
        `${c} >= fromUnixTimestamp64Milli(${ctx.from.getTime()}) AND ${c} <= fromUnixTimestamp64Milli(${ctx.to.getTime()})`,
    )
    .replace(
      /\$__dateFilter\(([^)]+)\)/g,
      (_, c) =>
        `${c} >= toDate('${ctx.from.toISOString().slice(0, 10)}') AND ${c} <= toDate('${ctx.to.toISOString().slice(0, 10)}')`,
    )
    .replace(
      /\$__timeInterval\(([^)]+)\)/g,
      (_, c) => `toStartOfInterval(toDateTime(${c}), INTERVAL ${ctx.intervalS} second)`,
    )
    .replace(/\$__fromTime_ms\b/g, `fromUnixTimestamp64Milli(${ctx.from.getTime()})`)
    .replace(/\$__toTime_ms\b/g, `fromUnixTimestamp64Milli(${ctx.to.getTime()})`)
    .replace(/\$__fromTime\b/g, `toDateTime(${from})`)
    .replace(/\$__toTime\b/g, `toDateTime(${to})`)
    .replace(/\$__interval_s\b/g, String(ctx.intervalS))
    .replace(/\$\{(\w+)\}|\$(\w+)\b/g, (m, a, b) => {
      const name = a ?? b;
      if (name.startsWith('__')) throw new Error(`unknown macro ${m}`);
      const v = ctx.vars[name];
      if (v === undefined) throw new Error(`template variable ${m} has no value`);
      return v;
    });
  return out;
}

/** Every panel, rows' nested panels included. */
export function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}
