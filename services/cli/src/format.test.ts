import { describe, expect, it } from 'vitest';
import { csvForTerminal, escapeTerminal, renderTable, stringifyJson } from './format.js';

/** The raw control characters (other than newline) left in text. */
const rawControls = (text: string) =>
  [...text].filter((c) => {
    const n = c.charCodeAt(0);
    return (n < 0x20 && c !== '\n') || (n >= 0x7f && n <= 0x9f) || c === '\u202e';
  });

describe('escapeTerminal', () => {
  it('escapes ESC, BEL, other C0, DEL and C1 controls', () => {
    expect(escapeTerminal('a\x1b[31mred\x07\x00\x7f\u009b')).toBe('a\\x1b[31mred\\x07\\x00\\x7f\\x9b');
  });

  it('escapes newlines, tabs, carriage returns and the backslash itself, so output is unambiguous', () => {
    expect(escapeTerminal('a\nb\tc\rd\\x1b')).toBe('a\\nb\\tc\\rd\\\\x1b');
  });

  it('escapes bidirectional overrides and leaves other text alone', () => {
    expect(escapeTerminal('kubectl/v1.25 \u202egnp.exe')).toBe('kubectl/v1.25 \\u{202e}gnp.exe');
    expect(escapeTerminal('kubectl/v1.25.0 (linux/amd64) é 日本')).toBe(
      'kubectl/v1.25.0 (linux/amd64) é 日本',
    );
  });
});

describe('renderTable', () => {
  it('escapes control characters in values and column names before padding', () => {
    const out = renderTable([{ 'ua\x1b': 'evil\x1b]0;title\x07', n: 1 }]);
    expect(rawControls(out)).toEqual([]);
    const cell = 'evil\\x1b]0;title\\x07';
    expect(out.split('\n')).toEqual([
      `${'ua\\x1b'.padEnd(cell.length)}  n`,
      `${'-'.repeat(cell.length)}  -`,
      `${cell}  1`,
      '',
    ]);
  });

  it('renders more rows than a spread of arguments could take', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    expect(renderTable(rows).split('\n')).toHaveLength(200_003);
  });
});

describe('stringifyJson and csvForTerminal', () => {
  it('JSON escapes DEL, C1 and bidi controls too, as the same JSON value', () => {
    const value = { ua: 'a\x1b\x7f\u009b\u202e' };
    const text = stringifyJson(value);
    expect(rawControls(text)).toEqual([]);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('CSV for a terminal keeps row and field separators and escapes the rest', () => {
    expect(csvForTerminal('"ua"\n"a\x1b[2Jb\x07"\t\r\n')).toBe('"ua"\n"a\\x1b[2Jb\\x07"\t\\r\n');
  });
});

describe('renderTable layout', () => {
  it('pads columns to their widest cell and shows non-strings as JSON', () => {
    expect(
      renderTable([
        { client: 'kubectl', requests: 12, sinks: ['slack'] },
        { client: 'legacy-cron', requests: 3, sinks: [] },
      ]),
    ).toBe(
      [
        'client       requests  sinks',
        '-----------  --------  ---------',
        'kubectl      12        ["slack"]',
        'legacy-cron  3         []',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to show, and prints undefined as empty', () => {
    expect(renderTable([])).toBe('(no rows)\n');
    expect(renderTable([{ a: undefined, b: 'x' }])).toBe('a  b\n-  -\n   x\n');
  });
});
