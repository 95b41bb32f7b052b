import { describe, expect, it } from 'vitest';
import {
  INGEST_ENGINE_MALLOC_CONF,
  INGEST_GLIBC_ENV,
  ingestOldSpaceMb,
  lowMemoryIngest,
  type ProcessImage,
  RELAUNCHED,
  relaunchForIngest,
} from './memory.js';

describe('lowMemoryIngest', () => {
  it("keeps V8's young generation at its first size and makes the engine's allocator return pages within 100 ms", () => {
    const flags: string[] = [];
    const env: Record<string, string | undefined> = {};
    const applied = lowMemoryIngest({ env, setV8Flags: (f) => flags.push(f) });
    expect(flags).toEqual(['--semi-space-growth-factor=1']);
    expect(env.JE_MALLOC_CONF).toBe(INGEST_ENGINE_MALLOC_CONF);
    expect(applied).toEqual({ v8Flags: flags, engineMallocConf: INGEST_ENGINE_MALLOC_CONF });
  });

  it("leaves the user's own allocator settings alone", () => {
    const env: Record<string, string | undefined> = { JE_MALLOC_CONF: 'narenas:4' };
    expect(lowMemoryIngest({ env, setV8Flags: () => {} }).engineMallocConf).toBe('narenas:4');
    expect(env.JE_MALLOC_CONF).toBe('narenas:4');
  });
});

describe('relaunchForIngest', () => {
  const image = (over: Partial<ProcessImage> = {}) => {
    const calls: { file: string; args: string[]; env: Record<string, string> }[] = [];
    const p: ProcessImage = {
      platform: 'linux',
      env: { PATH: '/usr/bin', UNSET: undefined },
      execPath: '/opt/node',
      execArgv: ['--conditions=radar-dist'],
      argv: ['/opt/node', '/app/main.js', 'ingest', '--file', '-'],
      execve: ((file: string, args: string[], env: Record<string, string>) => {
        calls.push({ file, args, env });
        return 'relaunched' as never;
      }) as ProcessImage['execve'],
      ...over,
    };
    return { p, calls };
  };

  it('restarts the same command in place with the malloc settings and a mark', () => {
    const { p, calls } = image();
    expect(relaunchForIngest(p, 256)).toBe('relaunched');
    expect(calls).toEqual([
      {
        file: '/opt/node',
        args: [
          '/opt/node',
          '--conditions=radar-dist',
          '--max-old-space-size=256',
          '/app/main.js',
          'ingest',
          '--file',
          '-',
        ],
        env: { PATH: '/usr/bin', ...INGEST_GLIBC_ENV, [RELAUNCHED]: '1' },
      },
    ]);
  });

  it('keeps a variable the user set, and adds only what is missing', () => {
    const { p, calls } = image({ env: { MALLOC_ARENA_MAX: '4' } });
    relaunchForIngest(p, 256);
    expect(calls[0]?.env).toEqual({
      MALLOC_ARENA_MAX: '4',
      GLIBC_TUNABLES: INGEST_GLIBC_ENV.GLIBC_TUNABLES,
      [RELAUNCHED]: '1',
    });
  });

  it("leaves the user's heap limit alone (command line or NODE_OPTIONS)", () => {
    for (const over of [
      { execArgv: ['--max-old-space-size=900'] },
      { env: { NODE_OPTIONS: '--max-old-space-size=900' } },
    ]) {
      const { p, calls } = image(over);
      relaunchForIngest(p, 256);
      expect(calls[0]?.args.filter((a) => a.startsWith('--max-old-space-size'))).toEqual(
        'execArgv' in over ? ['--max-old-space-size=900'] : [],
      );
    }
  });

  it('sizes the heap limit by the lines a chunk may hold and the largest event, never under 512 MB', () => {
    const mib = 1024 * 1024;
    expect(ingestOldSpaceMb(10_000, 4 * mib)).toBe(512);
    expect(ingestOldSpaceMb(1, 4 * mib)).toBe(512);
    // 1,000,000 lines a chunk, ~3 in flight at 2 KB of heap a line, plus headroom.
    expect(ingestOldSpaceMb(1_000_000, 0)).toBe(128 + 5860);
    // One 100 MiB event parsed: ~10x its bytes.
    expect(ingestOldSpaceMb(10_000, 100 * mib)).toBe(128 + 59 + 1000);
    // Rows held for their insert: two groups of a million rows, ~300 bytes each.
    expect(ingestOldSpaceMb(10_000, 0, 50_000)).toBe(512);
    expect(ingestOldSpaceMb(10_000, 0, 1_000_000)).toBe(
      128 + Math.ceil((10_000 * 3 * 2048 + 600_000_000) / mib),
    );
  });

  it('ingests as it is when execve fails', () => {
    const { p } = image({
      execve: (() => {
        throw new Error('ENOEXEC');
      }) as ProcessImage['execve'],
    });
    expect(relaunchForIngest(p, 512)).toBe('execve failed: ENOEXEC');
  });

  it('does not relaunch twice, off Linux, without execve, or when the user set all of it', () => {
    const cases: [Partial<ProcessImage>, RegExp][] = [
      [{ env: { [RELAUNCHED]: '1' } }, /RADAR_INGEST_RELAUNCHED is set/],
      [{ platform: 'darwin' }, /do not apply on darwin/],
      [{ execve: undefined }, /no process.execve/],
      [
        {
          env: {
            MALLOC_ARENA_MAX: '8',
            GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0',
            NODE_OPTIONS: '--max-old-space-size=4096',
          },
        },
        /set by the user/,
      ],
    ];
    for (const [over, why] of cases) {
      const { p, calls } = image(over);
      expect(relaunchForIngest(p, 256)).toMatch(why);
      expect(calls).toEqual([]);
    }
  });
});
