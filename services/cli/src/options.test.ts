import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { formatOption, numberArg } from './options.js';

function parse(args: string[]): { format: string; port?: number; error?: string } {
  const cmd = new Command('x')
    .exitOverride()
    .configureOutput({ writeErr: () => {} })
    .addOption(formatOption(['json', 'table'], 'table'))
    .option('--port <port>', 'a port', numberArg(0, 65535));
  try {
    cmd.parse(args, { from: 'user' });
    return cmd.opts();
  } catch (e) {
    return { format: '', error: (e as Error).message };
  }
}

describe('shared options', () => {
  it('takes the allowed formats, with a default, and names the bad one', () => {
    expect(parse([]).format).toBe('table');
    expect(parse(['--format', 'json']).format).toBe('json');
    expect(parse(['--format', 'xml']).error).toContain(
      "argument 'xml' is invalid. Allowed choices are json, table",
    );
  });

  it('parses numbers in range and refuses the rest, naming the value', () => {
    expect(parse(['--port', '8080']).port).toBe(8080);
    for (const bad of ['70000', '-1', '1.5', 'x', ''])
      expect(parse(['--port', bad]).error).toContain(
        `argument '${bad}' is invalid. Use a whole number from 0 to 65535`,
      );
  });
});
