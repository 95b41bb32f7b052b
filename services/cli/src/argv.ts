import type { Command } from 'commander';

/**
 * The first option on the command line that the chosen (sub)command does not know, checked before
 * commander parses: commander reports a missing required option first, so `ingest --fiel x` said
 * "--file not specified" and never named `--fiel`. Returns one line, or undefined when all are known.
 */
export function unknownOption(program: Command, argv: readonly string[]): string | undefined {
  let cmd = program;
  let args = argv.slice(2);
  const path: string[] = [];
  for (;;) {
    const sub =
      args[0] === undefined
        ? undefined
        : cmd.commands.find((c) => c.name() === args[0] || c.aliases().includes(args[0]!));
    if (!sub) break;
    cmd = sub;
    path.push(sub.name());
    args = args.slice(1);
  }
  if (cmd === program) return undefined;
  const known = new Set(cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)));
  known.add('--help').add('-h');
  for (const a of args) {
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a)) continue;
    const flag = a.split('=')[0]!;
    if (known.has(flag)) continue;
    const near = closest(flag, [...known]);
    return `radar ${path.join(' ')}: unknown option '${flag}'${near ? ` (did you mean ${near}?)` : ''}`;
  }
  return undefined;
}

/** The known flag within edit distance 2, if one. */
function closest(flag: string, known: readonly string[]): string | undefined {
  let best: { f: string; d: number } | undefined;
  for (const f of known) {
    const d = distance(flag, f);
    if (d <= 2 && (!best || d < best.d)) best = { f, d };
  }
  return best?.f;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
