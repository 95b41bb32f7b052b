import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, registerAllCommands, registerCommands } from './index.js';

const listing = (p: Command) => p.commands.map((c) => [c.name(), c.description()]);

describe('radar commands, loaded lazily', () => {
  it('lists every command with the description its own module gives it', async () => {
    const full = new Command('radar');
    await registerAllCommands(full);
    const stubs = new Command('radar');
    await registerCommands(stubs, ['node', 'radar', '--help']);
    expect(listing(stubs)).toEqual(listing(full));
    expect(stubs.commands.map((c) => c.name())).toEqual(COMMANDS.flatMap((c) => c.names));
  });

  it('registers the invoked command in full, with its options and sub-commands', async () => {
    const p = new Command('radar');
    await registerCommands(p, ['node', 'radar', 'catalog', 'show', '--current', '1.16']);
    const catalog = p.commands.find((c) => c.name() === 'catalog')!;
    expect(catalog.commands.map((c) => c.name())).toContain('show');
    const rank = p.commands.find((c) => c.name() === 'rank')!;
    expect(rank.options).toEqual([]);
  });
});
