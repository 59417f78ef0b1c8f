/**
 * `stimbench check`: the board conformance suite (src/lib/conformance, the same checks the app runs)
 * against a board, with a table, JSON lines or JUnit XML. The checks stimulate (1–3 mA), so before it
 * touches a real board it asks for confirmation that a dummy load (a resistor), not a person, is
 * connected.
 */
import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { CHECK_IDS, runConformance, type ConformanceReport } from '../../lib/conformance/index.ts';
import { confirm } from '../confirm.ts';
import { CliError, EXIT, EXIT_CODES_HELP } from '../exitCodes.ts';
import { conformanceJunit } from '../junit.ts';
import { boardOptions, checkBoardChoice, openBoard, type BoardOptions } from '../link/openBoard.ts';
import { simulatedFaultHelp } from '../link/simulatedFaults.ts';
import { createOutput } from '../output.ts';

interface CheckOptions extends BoardOptions {
  dummyLoadConnected?: boolean;
  junit?: string;
  json?: boolean;
  only?: string[];
}

export const DUMMY_LOAD_QUESTION = 'The checks drive current (1–3 mA) into every output. Is a dummy load (a resistor, e.g. 1 kΩ) connected, and NO person?';

export function checkCommand(): Command {
  const command = new Command('check').description('Run the board conformance suite (13 checks of PROTOCOL.md behaviour) against a board.');
  for (const option of boardOptions()) command.addOption(option);
  return command
    .addOption(new Option('--dummy-load-connected', 'confirm without asking that a dummy load, not a person, is connected (for scripts and CI)'))
    .addOption(new Option('--junit <file>', 'also write the results as JUnit XML to this file'))
    .addOption(new Option('--json', 'JSON lines on stdout (the default when stdout is not a terminal)'))
    .addOption(new Option('--only <id...>', 'run only these checks (hello always runs)').choices(CHECK_IDS))
    .addHelpText(
      'after',
      `
The checks stimulate at small amplitudes: run them on a board with a resistor on its outputs, never with
electrodes on a person. Without --dummy-load-connected, stimbench asks before opening a real board (and
refuses when there is no terminal to ask on).

Examples:
  The simulated board (no hardware, virtual time):
    npx stimbench check --simulated

  A board on /dev/ttyACM0 in CI, with a JUnit report:
    npx stimbench check --port /dev/ttyACM0 --dummy-load-connected --junit conformance.xml

  The C host board, started by stimbench:
    npx stimbench check --board-cmd "firmware-protocol/c/build/stimbench-host-board --pty" --dummy-load-connected

  Show that the suite catches a board whose watchdog never trips:
    npx stimbench check --simulated --simulated-fault watchdog-disabled

Simulated faults (--simulated-fault NAME):
${simulatedFaultHelp()}
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: CheckOptions) => {
      process.exitCode = await runCheck(options);
    });
}

async function runCheck(options: CheckOptions): Promise<number> {
  checkBoardChoice(options);
  const out = createOutput(options);
  if (!options.simulated && !options.dummyLoadConnected && !(await confirm(DUMMY_LOAD_QUESTION))) {
    throw new CliError(EXIT.refused, 'not confirmed that a dummy load, not a person, is connected: nothing was opened (answer "yes", or pass --dummy-load-connected)');
  }
  const board = await openBoard(options);
  let report: ConformanceReport;
  try {
    out.text(`Conformance checks on the ${board.description}:`);
    report = await runConformance(
      board.transport,
      {
        timer: board.timer,
        timeBase: board.timeBase,
        ...(options.only ? { only: options.only } : {}),
        ...(board.simulatedBoard ? { dropCounters: () => board.simulatedBoard!.stats.drops } : {}),
      },
      (event) => {
        if (event.kind === 'check-start' && !out.json) out.progress({}, `  ${event.index + 1}/${event.total} ${event.id} …`);
        if (event.kind !== 'check-done') return;
        const r = event.result;
        out.event('check', { ...r, durationMs: Math.round(r.durationMs * 10) / 10, index: event.index + 1, total: event.total }, `  ${r.pass ? (r.skipped ? 'SKIP' : 'PASS') : 'FAIL'}  ${r.id.padEnd(24)} ${r.measured}${r.pass ? '' : `\n        ${r.detail}`}`);
      },
    );
  } finally {
    out.endProgress();
    await board.close();
  }
  const failed = report.results.filter((r) => !r.pass);
  if (options.junit) await writeFile(options.junit, conformanceJunit(report, board.description, new Date().toISOString()));
  out.event(
    'summary',
    { pass: report.pass, board: report.board, failed: failed.map((r) => r.id), checks: report.results.length, hostDrops: report.hostDrops, durationMs: Math.round(report.durationMs), ...(options.junit ? { junit: options.junit } : {}) },
    report.pass ? `All ${report.results.length} checks passed.` : `${failed.length} of ${report.results.length} checks failed: ${failed.map((r) => r.id).join(', ')}`,
  );
  return report.pass ? EXIT.ok : EXIT.checkFailed;
}
