import { describe, expect, it } from 'vitest';
import { checkApiserver } from './apiserver.js';

const names = { name: '--apiserver', version: '--apiserver-version' };

describe('checkApiserver', () => {
  it('takes a name with or without a release, and nothing', () => {
    expect(checkApiserver('cp-1', 'v1.28.3', names)).toEqual({ ok: { name: 'cp-1', version: 'v1.28.3' } });
    expect(checkApiserver('cp-1', undefined, names)).toEqual({ ok: { name: 'cp-1', version: '' } });
    expect(checkApiserver(undefined, undefined, names)).toEqual({ ok: undefined });
  });

  it('names the field as the caller calls it', () => {
    expect(checkApiserver(undefined, 'v1.28.3', names)).toEqual({
      error: '--apiserver-version given without --apiserver (its name)',
    });
    expect(checkApiserver('cp 1', undefined, names)).toMatchObject({
      error: expect.stringContaining('--apiserver "cp 1"'),
    });
    expect(checkApiserver('cp-1', 'latest', names)).toMatchObject({
      error: expect.stringContaining('--apiserver-version "latest"'),
    });
  });
});
