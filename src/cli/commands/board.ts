/**
 * `stimbench board --tcp PORT`: the TypeScript simulated board, served over TCP for any host that speaks
 * pySerial's `socket://` (stimbench itself, a Python lab script, the conformance suite), with the
 * simulated board's fault options. Prints `TCP <addr>:<port>` when listening (as the C host board does),
 * so `--board-cmd "npx stimbench board --tcp 0"` works too. Runs until Ctrl-C or SIGTERM.
 */
import { Command, Option } from 'commander';
import { SimulatedBoard, realClock } from '../../../hardware-mock/src/index.ts';
import { EXIT, EXIT_CODES_HELP } from '../exitCodes.ts';
import { applyFaults, faultBoardOptions, SIMULATED_FAULT_NAMES, simulatedFaultHelp } from '../link/simulatedFaults.ts';
import { serveBoardOverTcp } from '../boardServer.ts';
import { tcpPort } from '../parse.ts';

interface BoardCommandOptions {
  tcp: number;
  bind: string;
  serial: string;
  simulatedFault?: string[];
}

export function boardCommand(): Command {
  return new Command('board')
    .description('Serve the simulated board over TCP (socket://HOST:PORT), for hosts and tests without hardware.')
    .addOption(new Option('--tcp <port>', 'TCP port to listen on (0 = any free port; the chosen one is printed)').argParser(tcpPort).makeOptionMandatory())
    .addOption(new Option('--bind <address>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--serial <text>', 'the board\'s serial number').default('SIM-0001'))
    .addOption(new Option('--simulated-fault <name...>', 'inject a fault').choices(SIMULATED_FAULT_NAMES))
    .addHelpText(
      'after',
      `
Prints "TCP <address>:<port>" once listening. One client at a time. The board runs on the real clock;
when its client goes away, a running session sees silence and the board's watchdog stops it.

Examples:
  Serve it, then check it from another terminal:
    npx stimbench board --tcp 7354
    npx stimbench check --port socket://127.0.0.1:7354 --dummy-load-connected

  A board whose watchdog never trips, for showing that the conformance suite catches it:
    npx stimbench board --tcp 7354 --simulated-fault watchdog-disabled

  From Python: serial.serial_for_url("socket://127.0.0.1:7354")

Simulated faults (--simulated-fault NAME):
${simulatedFaultHelp()}
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: BoardCommandOptions) => {
      const faults = options.simulatedFault ?? [];
      const board = new SimulatedBoard({ clock: realClock, serialNumber: options.serial, ...faultBoardOptions(faults) });
      applyFaults(board, faults);
      const server = await serveBoardOverTcp(board, options.bind, options.tcp, (line) => process.stderr.write(`stimbench board: ${line}\n`));
      process.stdout.write(`TCP ${server.host}:${server.port}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
        process.once('SIGHUP', resolve);
      });
      await server.close();
      board.destroy();
      process.exitCode = EXIT.ok;
    });
}
