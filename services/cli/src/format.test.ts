import { describe, expect, it } from 'vitest';
import { renderTable } from './format.js';

describe('renderTable', () => {
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
