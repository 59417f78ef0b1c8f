/** The `stimbench` command (started by bin/stimbench.js): one subcommand per file in src/cli/commands/. */
import { Command } from 'commander';
import { appCommand } from './commands/app.ts';
import { labCommand } from './commands/lab.ts';

export function stimbenchProgram(): Command {
  return new Command('stimbench').description('StimBench command-line tools').showHelpAfterError().addCommand(appCommand()).addCommand(labCommand());
}

export async function runStimbench(argv: readonly string[]): Promise<void> {
  try {
    await stimbenchProgram().parseAsync([...argv]);
  } catch (error) {
    // A start-up failure (port in use, database unreachable, bad setup) in one line, without a stack.
    process.stderr.write(`stimbench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
