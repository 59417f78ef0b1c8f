/** Running the conformance suite against the simulated board on virtual time. */
import { runConformance, type ConformanceReport } from '../../src/lib/conformance/index.ts';
import { SimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';
import { SimulatedBoard, VirtualClock, type SimulatedBoardOptions } from '../../hardware-mock/src/index.ts';

export async function runOnSimulatedBoard(
  options: SimulatedBoardOptions = {},
  only?: string[],
  prepare: (board: SimulatedBoard) => void = () => {},
): Promise<{ report: ConformanceReport; board: SimulatedBoard }> {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ ...options, clock });
  prepare(board);
  const transport = new SimulatedTransport(board);
  const report = await runConformance(transport, {
    timeBase: 'virtual',
    timer: { now: () => clock.now(), sleep: (ms) => clock.advance(ms) },
    dropCounters: () => board.stats.drops,
    ...(only ? { only } : {}),
  });
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
