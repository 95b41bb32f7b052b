import { describe, expect, it } from 'vitest';
import { ChunkBuilder, messagesOf } from './chunk.js';

const text = (v: Buffer | string | null) => (v === null ? null : v.toString());

describe('ChunkBuilder', () => {
  it('packs lines in order, growing past its first size, and starts afresh on take', () => {
    const b = new ChunkBuilder();
    // 3,000 lines of up to ~700 bytes: past the first 1 MiB and the first 1,024 ends.
    const lines = Array.from({ length: 3000 }, (_, i) => Buffer.from(`${i}:${'y'.repeat(i % 700)}`));
    for (const l of lines) b.push(l);
    expect(b.lines).toBe(3000);
    expect(b.size).toBe(lines.reduce((n, l) => n + l.length, 0));
    const packed = b.take();
    expect(packed.ends.length).toBe(3000);
    expect(messagesOf(packed).map((m) => text(m.value))).toEqual(lines.map((l) => l.toString()));
    expect(messagesOf(packed).map((m) => m.offset)).toEqual(lines.map((_, i) => i));
    expect([b.lines, b.size]).toEqual([0, 0]);
    // The next chunk's buffers are new: writing it leaves the taken one as it was.
    b.push(Buffer.from('next'));
    expect(text(messagesOf(packed)[0]!.value)).toBe('0:');
    expect(messagesOf(b.take()).map((m) => text(m.value))).toEqual(['next']);
  });

  it('copies each line: the reader may reuse its buffer after push', () => {
    const b = new ChunkBuilder();
    const buf = Buffer.from('first');
    b.push(buf);
    buf.write('XXXXX');
    expect(text(messagesOf(b.take())[0]!.value)).toBe('first');
  });

  it('holds a line larger than any chunk before it, and an empty chunk', () => {
    const b = new ChunkBuilder();
    expect(b.take().ends.length).toBe(0);
    const big = Buffer.alloc(3 * 1024 * 1024, 0x61);
    b.push(Buffer.from('a'));
    b.push(big);
    const p = b.take();
    expect(p.bytes.length).toBe(big.length + 1);
    expect(messagesOf(p)[1]!.value!.length).toBe(big.length);
  });

  it('gives buffers of its own, which a decode thread can take by transfer', () => {
    const b = new ChunkBuilder();
    b.push(Buffer.from('x'));
    const p = b.take();
    expect(p.bytes.byteOffset).toBe(0);
    expect(p.ends.byteOffset).toBe(0);
    const copy = structuredClone(p, {
      transfer: [p.bytes.buffer as ArrayBuffer, p.ends.buffer as ArrayBuffer],
    });
    expect([copy.bytes.length, copy.ends[0]]).toEqual([1, 1]);
  });
});

describe('ChunkBuilder.recycle', () => {
  it('fills a returned buffer with a later chunk, and ignores one too small for it', () => {
    const b = new ChunkBuilder();
    b.push(Buffer.alloc(2 * 1024 * 1024, 0x61));
    const big = b.take().bytes.buffer as ArrayBuffer;
    // Returned while the next chunk fills: the chunk after that is written into it.
    b.recycle(big);
    b.push(Buffer.from('x'));
    expect(b.take().bytes.buffer === big).toBe(false);
    b.push(Buffer.from('y'));
    const reused = b.take();
    // (Compared by identity: a failed toBe would print two 2 MiB buffers.)
    expect(reused.bytes.buffer === big).toBe(true);
    expect(reused.bytes.toString()).toBe('y');
    // Too small for a chunk: a new buffer instead.
    const small = new ArrayBuffer(16);
    b.recycle(small);
    b.push(Buffer.from('z'));
    b.take();
    b.push(Buffer.from('w'));
    expect(b.take().bytes.buffer === small).toBe(false);
  });
});
