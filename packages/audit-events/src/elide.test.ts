import { Tokenizer } from '@streamparser/json';
import { describe, expect, it } from 'vitest';
import { StringElider } from './elide.js';

/** Tokens (type, real offset) of `text` fed in chunks of `size`, through the elider or not. */
function tokens(text: Buffer, size: number, elider?: StringElider) {
  const seen: [number, number, unknown][] = [];
  const t = new Tokenizer();
  t.onToken = ({ token, value, offset }) => {
    seen.push([token, elider ? elider.real(offset) : offset, value]);
  };
  for (let i = 0; i < text.length; i += size) {
    const chunk = text.subarray(i, i + size);
    t.write(elider ? elider.feed(chunk) : chunk);
  }
  return seen;
}

// Strings with escapes at every position, so cuts land next to \", \\ and \uXXXX.
const nasty = (n: number) => 'ab\\"c\\\\d\\u00e9e\\/'.repeat(n);

describe('StringElider', () => {
  const doc = Buffer.from(
    `{"kind":"EventList","items":[{"auditID":"a","x":"${nasty(50)}"},` +
      `{"auditID":"b","k":["${nasty(3)}","${nasty(200)}",1.5e3,true,null]},{"auditID":"c"}]}\n`,
  );

  it('gives the tokenizer a copy with the same structure at the same real offsets, any chunking', () => {
    const reference = tokens(doc, doc.length);
    for (const size of [1, 2, 3, 7, 64, 1000, doc.length]) {
      const elided = tokens(doc, size, new StringElider(16));
      expect(elided.map(([t, o]) => [t, o])).toEqual(reference.map(([t, o]) => [t, o]));
    }
  });

  it('keeps short strings whole and cuts long ones, never inside an escape', () => {
    const e = new StringElider(16);
    const copy = e.feed(doc).toString();
    expect(JSON.parse(copy).items[2]).toEqual({ auditID: 'c' });
    const long = JSON.parse(copy).items[0].x as string;
    expect(long.length).toBeLessThanOrEqual(16 + 6);
    expect(JSON.parse(`"${nasty(50)}"`).startsWith(long)).toBe(true);
  });

  it('masks non-ASCII and control bytes, inside strings and out', () => {
    const e = new StringElider();
    expect(e.feed(Buffer.from([0x22, 0xc3, 0xa9, 0x01, 0x22, 0x0a, 0xff])).toString('latin1')).toBe(
      '"___"\n_',
    );
  });

  it('holds one cut run per string whatever its size: the copy of a 20 MB string is its first bytes', () => {
    const e = new StringElider(1024);
    const big = Buffer.concat([Buffer.from('["'), Buffer.alloc(20 * 1024 * 1024, 0x79), Buffer.from('",2]')]);
    let copied = 0;
    for (let i = 0; i < big.length; i += 65536) copied += e.feed(big.subarray(i, i + 65536)).length;
    expect(copied).toBe(2 + 1024 + 4);
    expect(e.real(2 + 1024 + 2)).toBe(big.length - 2);
  });
});
