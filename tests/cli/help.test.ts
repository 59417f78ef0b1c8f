/** Every `stimbench` command and subcommand has --help with examples; the top level lists the exit codes. */
import type { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { EXIT } from '../../src/cli/exitCodes.ts';
import { stimbenchProgram } from '../../src/cli/stimbench.ts';

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

function allCommands(command: Command, path: string[] = []): [string, Command][] {
  return command.commands.flatMap((sub) => [[[...path, sub.name()].join(' '), sub] as [string, Command], ...allCommands(sub, [...path, sub.name()])]);
}

describe('stimbench --help', () => {
  test.each(allCommands(stimbenchProgram()).filter(([, c]) => c.commands.length === 0))('%s: --help has examples', (_name, command) => {
    expect(helpOf(command)).toMatch(/Examples:\n[\s\S]*npx stimbench /);
  });

  test('the top level lists every exit code, each distinct', () => {
    const help = helpOf(stimbenchProgram());
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(help).toMatch(new RegExp(`^ {2}${code} {2}\\S`, 'm'));
  });
});
