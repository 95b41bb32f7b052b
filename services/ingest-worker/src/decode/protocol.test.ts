import { describe, expect, it } from 'vitest';
import { owned } from './protocol.js';

describe('owned', () => {
  it('keeps an array that covers its whole buffer, and copies a view of a shared one', () => {
    const whole = new Uint32Array(4);
    expect(owned(whole)).toBe(whole);
    const buf = new Uint8Array(100);
    const view = buf.subarray(0, 90);
    const copy = owned(view);
    expect(copy).not.toBe(view);
    expect(copy.buffer.byteLength).toBe(90);
  });

  it('with a share, keeps a view from the start of its own buffer that covers at least that share', () => {
    const buf = Buffer.allocUnsafeSlow(100);
    expect(owned(buf.subarray(0, 75), 0.75).buffer).toBe(buf.buffer);
    expect(owned(buf.subarray(0, 74), 0.75).buffer.byteLength).toBe(74);
    // Not from the start: another view may own the bytes before it.
    expect(owned(buf.subarray(10, 100), 0.75).buffer.byteLength).toBe(90);
  });
});
