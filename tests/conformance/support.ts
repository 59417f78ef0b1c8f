/** Running the conformance suite against the simulated board on virtual time, and against pty boards on real time. */
import { runConformance, type ConformanceProgress, type ConformanceReport, type ConformanceTimer } from '../../src/lib/conformance/index.ts';
import type { Transport } from '../../src/lib/transport/Transport.ts';
import { NodeSerialPortTransport } from '../../src/lib/transport/NodeSerialPortTransport.ts';
import { SimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';
import { SimulatedBoard, VirtualClock, type SimulatedBoardOptions } from '../../hardware-mock/src/index.ts';

export interface SimulatedRun {
  only?: string[];
  /** Runs on the board before the suite starts (e.g. a fault injection). */
  prepare?: (board: SimulatedBoard) => void;
  /** Puts something between the suite and the board's transport. */
  wrap?: (transport: Transport) => Transport;
  onProgress?: (event: ConformanceProgress) => void;
}

export async function runOnSimulatedBoard(options: SimulatedBoardOptions = {}, run: SimulatedRun = {}): Promise<{ report: ConformanceReport; board: SimulatedBoard }> {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ ...options, clock });
  run.prepare?.(board);
  const transport = new SimulatedTransport(board);
  const report = await runConformance(
    run.wrap ? run.wrap(transport) : transport,
    {
      timeBase: 'virtual',
      timer: { now: () => clock.now(), sleep: (ms) => clock.advance(ms) },
      dropCounters: () => board.stats.drops,
      ...(run.only ? { only: run.only } : {}),
    },
    run.onProgress,
  );
  board.destroy();
  return { report, board };
}

/** A readable list of the results for assertion messages. */
export function summary(report: ConformanceReport): string {
  return report.results.map((r) => `${r.pass ? 'PASS' : 'FAIL'} ${r.id}: ${r.measured} — ${r.detail}`).join('\n');
}

export function failed(report: ConformanceReport): string[] {
  return report.results.filter((r) => !r.pass).map((r) => r.id);
}

/** The real clock, for boards that run on their own time (the C boards). */
export const realTimer: ConformanceTimer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Run the suite on the real clock against a board on a pty (or any tty path). */
export async function runOnPty(path: string, only?: string[]): Promise<ConformanceReport> {
  return runConformance(new NodeSerialPortTransport(path), { timeBase: 'real', timer: realTimer, ...(only ? { only } : {}) });
}
