import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bodyEncoding, decodeBody, HttpError } from './body.js';

describe('bodyEncoding', () => {
  it('accepts identity and gzip, refuses the rest with 415', () => {
    expect(bodyEncoding(undefined)).toBe('identity');
    expect(bodyEncoding('Identity')).toBe('identity');
    expect(bodyEncoding(' GZIP ')).toBe('gzip');
    expect(bodyEncoding('x-gzip')).toBe('gzip');
    for (const h of ['br', 'deflate', 'gzip, gzip', ['gzip', 'br']]) {
      const r = bodyEncoding(h);
      expect(r).toBeInstanceOf(HttpError);
      expect((r as HttpError).statusCode).toBe(415);
    }
  });
});

describe('decodeBody', () => {
  const text = JSON.stringify({ kind: 'EventList', items: Array.from({ length: 100 }, (_, i) => ({ i })) });

  it('inflates gzip within the cap, passes identity through', async () => {
    expect((await decodeBody('gzip', gzipSync(text), 1 << 20)).toString()).toBe(text);
    const raw = Buffer.from(text);
    expect(await decodeBody('identity', raw, 1)).toBe(raw);
  });

  it('answers 413 over the cap (a small bomb stops at the cap) and 400 for corrupt gzip', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(128 * 1024);
    await expect(decodeBody('gzip', bomb, 1 << 20)).rejects.toMatchObject({ statusCode: 413 });
    const gz = gzipSync(text);
    await expect(decodeBody('gzip', gz.subarray(0, gz.length - 10), 1 << 20)).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(decodeBody('gzip', Buffer.from('not gzip at all'), 1 << 20)).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});
