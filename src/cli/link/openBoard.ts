/**
 * Where a command finds its board: `--simulated` (the TypeScript simulated board in this process, on a
 * virtual clock), `--port PATH` (a serial device, or `socket://host:port` for a board served over TCP),
 * or `--board-cmd "COMMAND"` (a board program started here: boardCommand.ts). One Transport comes out;
 * everything above it (StimulatorClient, SessionEngine, the conformance suite) is the app's own code.
 */
import { Option } from 'commander';
import { SimulatedBoard, VirtualClock } from '../../../hardware-mock/src/index.ts';
import { systemClock, type Clock } from '../../lib/clock.ts';
import type { ConformanceTimer } from '../../lib/conformance/index.ts';
import { NodeSerialPortTransport } from '../../lib/transport/NodeSerialPortTransport.ts';
import { SerialPortTransport } from '../../lib/transport/SerialPortTransport.ts';
import { SimulatedTransport } from '../../lib/transport/SimulatedTransport.ts';
import type { Transport } from '../../lib/transport/Transport.ts';
import { CliError, EXIT } from '../exitCodes.ts';
import { connectTcp, startBoardCommand, type BoardProcess } from './boardCommand.ts';
import { applyFaults, faultBoardOptions, SIMULATED_FAULT_NAMES } from './simulatedFaults.ts';
import { StreamSerialPort } from './StreamSerialPort.ts';

export interface BoardOptions {
  simulated?: boolean;
  port?: string;
  boardCmd?: string;
  boardStdio?: boolean;
  simulatedFault?: string[];
}

export interface OpenedBoard {
  transport: Transport;
  /** The clock the host side runs on: the simulated board's VirtualClock, or the system clock. */
  clock: Clock;
  /** Set for --simulated: somebody must advance it (a ClockPump, or the conformance suite's sleeps). */
  virtualClock: VirtualClock | null;
  simulatedBoard: SimulatedBoard | null;
  boardProcess: BoardProcess | null;
  /** For the conformance suite: virtual sleeps on the simulated board, real ones otherwise. */
  timer: ConformanceTimer;
  timeBase: 'virtual' | 'real';
  /** Plain words: which board this is. */
  description: string;
  /** Close the link and stop anything started for it (the board program, the simulated board). */
  close(): Promise<void>;
}

/** The three ways to reach a board, as commander options (exactly one must be given). */
export function boardOptions(): Option[] {
  return [
    new Option('--simulated', 'use the simulated board in this process (no hardware)'),
    new Option('--port <path>', 'serial device (e.g. /dev/ttyACM0, COM3), or socket://HOST:PORT for a board served over TCP'),
    new Option('--board-cmd <command>', 'start this board program (run by /bin/sh) and use the board it serves (it prints "PTY <path>" or "TCP <addr>:<port>")'),
    new Option('--board-stdio', 'with --board-cmd: the program speaks frames on its stdin/stdout instead of printing a pty path'),
    new Option('--simulated-fault <name...>', `with --simulated: inject a fault (${SIMULATED_FAULT_NAMES.join(', ')})`).choices(SIMULATED_FAULT_NAMES),
  ];
}

export function checkBoardChoice(options: BoardOptions): void {
  const chosen = [options.simulated, options.port, options.boardCmd].filter((x) => x !== undefined && x !== false).length;
  if (chosen !== 1) throw new CliError(EXIT.usage, `expected exactly one of --simulated, --port PATH or --board-cmd "COMMAND", got ${chosen === 0 ? 'none' : 'more than one'}`);
  if (options.simulatedFault?.length && !options.simulated) throw new CliError(EXIT.usage, '--simulated-fault needs --simulated');
  if (options.boardStdio && !options.boardCmd) throw new CliError(EXIT.usage, '--board-stdio needs --board-cmd');
}

const realTimer: ConformanceTimer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

function tcpTransport(host: string, port: number, label: string): Transport {
  return new SerialPortTransport(
    new StreamSerialPort(label, async () => {
      try {
        return await connectTcp(host, port);
      } catch (error) {
        throw new Error(`could not connect to ${host}:${port} (${error instanceof Error ? error.message : String(error)})`);
      }
    }),
    { kind: 'node-serial', label },
  );
}

/** `socket://host:port` → host and port, else null. */
export function parseSocketUrl(path: string): { host: string; port: number } | null {
  const m = /^socket:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(path);
  if (!m) {
    if (path.startsWith('socket://')) throw new CliError(EXIT.usage, `expected socket://HOST:PORT, got "${path}"`);
    return null;
  }
  const port = Number(m[2]);
  if (port < 1 || port > 65_535) throw new CliError(EXIT.usage, `expected a TCP port 1–65535 in "${path}", got ${port}`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

export async function openBoard(options: BoardOptions): Promise<OpenedBoard> {
  checkBoardChoice(options);
  if (options.simulated) {
    const faults = options.simulatedFault ?? [];
    const clock = new VirtualClock({ startWallMs: Date.now() });
    const board = new SimulatedBoard({ clock, ...faultBoardOptions(faults) });
    applyFaults(board, faults);
    return {
      transport: new SimulatedTransport(board),
      clock,
      virtualClock: clock,
      simulatedBoard: board,
      boardProcess: null,
      timer: { now: () => clock.now(), sleep: (ms) => clock.advance(ms) },
      timeBase: 'virtual',
      description: `simulated board ${board.serialNumber}${faults.length ? ` with ${faults.join(', ')}` : ''}`,
      close: async () => board.destroy(),
    };
  }
  const real = (transport: Transport, description: string, boardProcess: BoardProcess | null): OpenedBoard => ({
    transport,
    clock: systemClock,
    virtualClock: null,
    simulatedBoard: null,
    boardProcess,
    timer: realTimer,
    timeBase: 'real',
    description,
    close: async () => {
      await transport.close();
      await boardProcess?.stop();
    },
  });
  if (options.port !== undefined) {
    const socket = parseSocketUrl(options.port);
    if (socket) return real(tcpTransport(socket.host, socket.port, `TCP ${socket.host}:${socket.port}`), `board at ${options.port}`, null);
    return real(new NodeSerialPortTransport(options.port), `board on ${options.port}`, null);
  }
  const board = await startBoardCommand(options.boardCmd!, { stdio: options.boardStdio ?? false });
  const where = board.where;
  if (where.kind === 'pty') return real(new NodeSerialPortTransport(where.path), `board program on ${where.path}`, board);
  if (where.kind === 'tcp') return real(tcpTransport(where.host, where.port, `TCP ${where.host}:${where.port}`), `board program on TCP ${where.host}:${where.port}`, board);
  const child = board.child;
  const transport = new SerialPortTransport(
    new StreamSerialPort('board program (stdio)', async () => ({ input: child.stdout!, output: child.stdin!, close: () => child.stdin!.end() })),
    { kind: 'node-serial', label: 'board program (stdio)' },
  );
  return real(transport, 'board program on its stdin/stdout', board);
}
