import { describe, expect, it } from 'vitest';
import { apiserverHeaders, type MessageHeaders } from './apiserver-headers.js';

const msg = (offset: number, headers?: MessageHeaders) => ({ offset: String(offset), headers });
const named = (name: string, version = 'v1.28.3'): MessageHeaders => ({
  'radar-apiserver': Buffer.from(name),
  'radar-apiserver-version': Buffer.from(version),
});
const identities = (out: ReturnType<typeof apiserverHeaders>) =>
  out.index ? [...out.index.of].map((e) => out.index!.table[e]) : undefined;

describe('apiserverHeaders', () => {
  it('gives each message the apiserver its headers name, one table entry per distinct identity', () => {
    const out = apiserverHeaders([
      msg(0, named('cp-1', 'v1.27.9')),
      msg(1, named('cp-2')),
      msg(2),
      msg(3, named('cp-1', 'v1.27.9')),
      msg(4, { 'radar-apiserver': 'cp-3', 'radar-apiserver-version': '' }),
    ]);
    expect(out.index?.table).toEqual([
      undefined,
      { name: 'cp-1', version: 'v1.27.9' },
      { name: 'cp-2', version: 'v1.28.3' },
      { name: 'cp-3', version: '' },
    ]);
    expect(out.index?.of).toEqual(new Uint8Array([1, 2, 0, 1, 3]));
    expect(out.refused).toBe(0);
  });

  it('has no index when no message names an apiserver (the batch decodes as before)', () => {
    expect(apiserverHeaders([msg(0), msg(1, { other: Buffer.from('x') })])).toEqual({
      index: undefined,
      refused: 0,
      samples: [],
    });
  });

  it('refuses bad headers with the webhook check, naming the header; those messages keep no identity', () => {
    const out = apiserverHeaders([
      msg(10, named('cp 1')),
      msg(11, { 'radar-apiserver-version': Buffer.from('v1.28.3') }),
      msg(12, named('cp-1', 'latest')),
      msg(13, { 'radar-apiserver': [Buffer.from('a'), Buffer.from('b')] }),
      msg(14, { 'radar-apiserver': Buffer.from([0xff, 0xfe]) }),
      msg(15, named('cp-2')),
      msg(16, named('cp 1')),
    ]);
    expect(out.refused).toBe(6);
    expect(out.samples).toEqual([
      { offset: '10', error: expect.stringContaining('Kafka header radar-apiserver "cp 1"') },
      {
        offset: '11',
        error: 'Kafka header radar-apiserver-version given without Kafka header radar-apiserver (its name)',
      },
      { offset: '12', error: expect.stringContaining('Kafka header radar-apiserver-version "latest"') },
    ]);
    expect(identities(out)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      { name: 'cp-2', version: 'v1.28.3' },
      undefined,
    ]);
  });

  it('widens the index to 16 bits past 255 identities, and stops naming past 65535', () => {
    const many = Array.from({ length: 300 }, (_, i) => msg(i, named(`cp-${i}`)));
    const out = apiserverHeaders(many);
    expect(out.index?.of).toBeInstanceOf(Uint16Array);
    expect(identities(out)?.map((a) => a?.name)).toEqual(many.map((_, i) => `cp-${i}`));
    const huge = apiserverHeaders(Array.from({ length: 65_537 }, (_, i) => msg(i, named(`a${i}`))));
    expect(huge.index?.table).toHaveLength(65_536);
    expect(huge.refused).toBe(2);
    expect(huge.samples[0]).toEqual({ offset: '65535', error: 'more than 65535 apiservers in one batch' });
  });
});
