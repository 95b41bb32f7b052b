import { describe, expect, it } from 'vitest';
import { runRadar } from '../support/processes.js';

// The README promises: an argument mistake prints one line naming it, exit code 2, nothing written.
describe('radar argument mistakes', () => {
  it.each([
    [['ingest', '--fiel', 'x'], "radar ingest: unknown option '--fiel' (did you mean --file?)"],
    [['rank', '--current', '1.24'], "radar: required option '--target <version>' not specified"],
    [['nope'], "radar: unknown command 'nope'"],
  ])('%j is one line naming it, exit 2', async (args, line) => {
    const res = await runRadar(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`${line}\n`);
    expect(res.stdout).toBe('');
  });
});
