#!/usr/bin/env node
/** The `stimbench` command: one subcommand per file in src/cli/commands/. */
import { Command } from 'commander';
import { labCommand } from './commands/lab.ts';

const program = new Command('stimbench').description('StimBench command-line tools').showHelpAfterError();
program.addCommand(labCommand());
await program.parseAsync(process.argv);
