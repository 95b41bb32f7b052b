// Stored values come from audit logs, that is from anyone who can reach the apiserver: a user
// agent may carry ESC sequences (retitle or recolour the terminal, write its clipboard) or
// bidirectional overrides that make text read differently. Nothing raw reaches a terminal.

// C0 controls, DEL, C1 controls, and the invisible bidi/line controls (Trojan Source).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CSV_UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

function escapeChar(c: string): string {
  const short = SHORT[c];
  if (short) return short;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Text made safe to print: control characters become `\x1b`, `\n`, `\u{202e}`; `\` becomes `\\`. */
export function escapeTerminal(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(UNSAFE, escapeChar);
}

/**
 * JSON.stringify escapes C0 but leaves DEL, C1 and the bidi controls raw: those become \u
 * escapes too, which is the same JSON value (they can only occur inside strings).
 */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * CSV for a terminal: the format has no escapes of its own, so control characters other than
 * the row and field separators are shown escaped. Piped output stays byte-exact.
 */
export function csvForTerminal(csv: string): string {
  return csv.replace(CSV_UNSAFE, escapeChar);
}

/** Plain-text table for terminals: one header row, columns padded to their widest cell. */
export function renderTable(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)\n';
  const names = Object.keys(rows[0]!);
  const cell = (v: unknown) => escapeTerminal(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  const cols = names.map(escapeTerminal);
  const cells = rows.map((r) => names.map((c) => cell(r[c])));
  // A loop, not Math.max(...cells): a spread of 100,000+ rows overflows the stack.
  const widths = cols.map((c) => c.length);
  for (const r of cells) {
    for (let i = 0; i < r.length; i++) widths[i] = Math.max(widths[i]!, r[i]!.length);
  }
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
}
