import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { unknownOption } from './argv.js';

function program(): Command {
  const p = new Command('radar');
  p.command('ingest').requiredOption('--file <path>').option('--cluster <name>');
  const catalog = p.command('catalog');
  catalog.command('show').option('--current <v>').option('-f, --format <f>');
  return p;
}
const argv = (...a: string[]) => ['node', 'radar', ...a];

describe('unknownOption', () => {
  it('names the unknown option before commander complains about a missing required one', () => {
    expect(unknownOption(program(), argv('ingest', '--fiel', 'x'))).toBe(
      "radar ingest: unknown option '--fiel' (did you mean --file?)",
    );
  });

  it('follows sub-commands, reads --flag=value, and says nothing of known flags or values', () => {
    expect(unknownOption(program(), argv('catalog', 'show', '--formt=json'))).toBe(
      "radar catalog show: unknown option '--formt' (did you mean --format?)",
    );
    expect(
      unknownOption(program(), argv('catalog', 'show', '-f', 'json', '--current', '-1')),
    ).toBeUndefined();
    expect(unknownOption(program(), argv('ingest', '--file', '-', '--', '--whatever'))).toBeUndefined();
    expect(unknownOption(program(), argv('ingest', '--zzzzzz'))).toBe(
      "radar ingest: unknown option '--zzzzzz'",
    );
    expect(unknownOption(program(), argv('--help'))).toBeUndefined();
  });
});
