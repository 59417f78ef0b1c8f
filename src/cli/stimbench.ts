/** The `stimbench` command (started by bin/stimbench.js): one subcommand per file in src/cli/commands/. */
import { Command, CommanderError } from 'commander';
import { appCommand } from './commands/app.ts';
import { boardCommand } from './commands/board.ts';
import { bundleCommand } from './commands/bundle.ts';
import { checkCommand } from './commands/check.ts';
import { infoCommand } from './commands/info.ts';
import { labCommand } from './commands/lab.ts';
import { portsCommand } from './commands/ports.ts';
import { presetsCommand } from './commands/presets.ts';
import { recordsCommand } from './commands/records.ts';
import { runCommand } from './commands/run.ts';
import { TransportError } from '../lib/transport/Transport.ts';
import { CliError, EXIT, EXIT_CODES_HELP } from './exitCodes.ts';

export function stimbenchProgram(): Command {
  const program = new Command('stimbench')
    .description('StimBench command-line tools: run sessions, check boards, manage presets and records without a browser.')
    .showHelpAfterError()
    .addCommand(runCommand())
    .addCommand(checkCommand())
    .addCommand(portsCommand())
    .addCommand(infoCommand())
    .addCommand(boardCommand())
    .addCommand(presetsCommand())
    .addCommand(recordsCommand())
    .addCommand(appCommand())
    .addCommand(bundleCommand())
    .addCommand(labCommand())
    .addHelpText('after', EXIT_CODES_HELP);
  // Usage errors end with EXIT.usage (2), not commander's default 1, in every subcommand.
  const throwInsteadOfExit = (command: Command) => {
    command.exitOverride();
    for (const sub of command.commands) throwInsteadOfExit(sub);
  };
  throwInsteadOfExit(program);
  return program;
}

export async function runStimbench(argv: readonly string[]): Promise<void> {
  try {
    await stimbenchProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with code 0; anything else commander refuses is a usage error.
      process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
    }
    // A refusal or failure in one line, without a stack.
    process.stderr.write(`stimbench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof CliError ? error.exitCode : error instanceof TransportError ? EXIT.linkLost : EXIT.internal);
  }
  // Long-running commands (lab, board) stay up on their own handles; the others end here with their code.
  if (process.exitCode !== undefined) process.exit(process.exitCode);
}
