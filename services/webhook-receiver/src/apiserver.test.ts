import { describe, expect, it } from 'vitest';
import { apiserverOf, BadApiserver } from './apiserver.js';

describe('apiserverOf', () => {
  it('reads the query parameters, else the headers', () => {
    expect(apiserverOf({ apiserver: 'cp-1', apiserver_version: 'v1.28.3' }, {})).toEqual({
      name: 'cp-1',
      version: 'v1.28.3',
    });
    expect(
      apiserverOf(
        {},
        { 'x-radar-apiserver': 'ip-10-0-0-1.ec2.internal', 'x-radar-apiserver-version': '1.29.1-eks-abc' },
      ),
    ).toEqual({
      name: 'ip-10-0-0-1.ec2.internal',
      version: '1.29.1-eks-abc',
    });
    expect(apiserverOf({ apiserver: 'cp-1' }, {})).toEqual({ name: 'cp-1', version: '' });
    expect(apiserverOf(undefined, {})).toBeUndefined();
  });

  it('refuses what it could not store faithfully, naming the parameter', () => {
    for (const [q, msg] of [
      [{ apiserver: 'a b' }, /apiserver "a b"/],
      [{ apiserver: 'x'.repeat(64) }, /up to 63/],
      [{ apiserver: ['a', 'b'] }, /apiserver: give it once/],
      [{ apiserver: 'cp-1', apiserver_version: 'latest' }, /apiserver_version "latest"/],
      [{ apiserver_version: 'v1.28.3' }, /without apiserver/],
      [{ apiserver: '\ud800' }, /apiserver/],
    ] as const) {
      expect(() => apiserverOf(q as Record<string, unknown>, {})).toThrow(BadApiserver);
      expect(() => apiserverOf(q as Record<string, unknown>, {})).toThrow(msg);
    }
  });
});
