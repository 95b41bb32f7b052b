import { describe, expect, it } from 'vitest';
import { RewindGuard } from './rewind-guard.js';

describe('RewindGuard', () => {
  it('drops batches fetched past a rewind until the refetch from the failed batch arrives', () => {
    const g = new RewindGuard();
    expect(g.admit('t/0', '100')).toEqual({ kind: 'ok' });
    g.rewound('t/0', '100');
    expect(g.admit('t/0', '150')).toEqual({ kind: 'drop', reason: 'fetched-before-rewind' });
    expect(g.admit('t/1', '150')).toEqual({ kind: 'ok' }); // other partitions are not held back
    expect(g.admit('t/0', '100')).toEqual({ kind: 'ok' }); // the refetch
    expect(g.admit('t/0', '150')).toEqual({ kind: 'ok' }); // and everything after it
  });

  it('compares offsets as 64-bit integers, not strings', () => {
    const g = new RewindGuard();
    g.rewound('t/0', '9');
    expect(g.admit('t/0', '10').kind).toBe('drop');
    g.rewound('t/0', '9007199254740993');
    expect(g.admit('t/0', '9007199254740992').kind).toBe('ok');
  });
});
