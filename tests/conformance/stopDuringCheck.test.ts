/**
 * Board check stimulates (1–3 mA into a dummy load), so it must stop like everything else that drives
 * current: aborting its signal sends ESTOP at once, the check under way fails as stopped, and no later
 * check runs (so nothing clears the latched fault or starts output again).
 */
import { describe, expect, test } from 'vitest';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { runConformance, type ConformanceReport } from '../../src/lib/conformance/index.ts';
import { SimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';

async function runAndStop(stopInCheck: string, afterMs: number) {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock, channelCount: 2 });
  const controller = new AbortController();
  let outputAtStopUa: number[] = [];
  let outputAfterStopUa: number[] = [];
  let stimulatingAfterStop = false;
  const report: ConformanceReport = await runConformance(
    new SimulatedTransport(board),
    { timeBase: 'virtual', timer: { now: () => clock.now(), sleep: (ms) => clock.advance(ms) }, signal: controller.signal },
    (event) => {
      if (event.kind !== 'check-start' || event.id !== stopInCheck) return;
      clock.setTimeout(() => {
        outputAtStopUa = [board.outputUa(0), board.outputUa(1)];
        controller.abort();
        // Watch the board from here on: nothing may drive current again during this run.
        const watch = () => {
          outputAfterStopUa.push(board.outputUa(0), board.outputUa(1));
          if (board.channelStatus(0).state !== 'idle' || board.channelStatus(1).state !== 'idle') stimulatingAfterStop = true;
          clock.setTimeout(watch, 1);
        };
        clock.setTimeout(watch, 1);
      }, afterMs);
    },
  );
  board.destroy();
  return { report, board, outputAtStopUa, outputAfterStopUa, stimulatingAfterStop };
}

describe('stopping a conformance run', () => {
  test('abort while the ESTOP check holds output on: ESTOP goes out, output reaches 0 mA, the rest is not run', async () => {
    const r = await runAndStop('estop.latch', 40);
    expect(Math.max(...r.outputAtStopUa)).toBeGreaterThan(0);
    expect(r.outputAfterStopUa.length).toBeGreaterThan(0);
    expect(Math.max(...r.outputAfterStopUa.slice(2))).toBe(0);
    expect(r.stimulatingAfterStop).toBe(false);
    expect(r.board.fault).toBe('estop');
    expect(r.report.pass).toBe(false);
    const at = r.report.results.findIndex((x) => x.id === 'estop.latch');
    expect(r.report.results[at]!.detail).toMatch(/stopped by the user during this check/);
    for (const later of r.report.results.slice(at + 1)) expect(later.detail).toMatch(/^not run: the check was stopped by the user/);
    for (const earlier of r.report.results.slice(0, at)) expect(earlier.pass).toBe(true);
  });

  test('abort during the slew check (amplitude rising): output is cut at once, not ramped', async () => {
    const r = await runAndStop('amplitude.slew', 150);
    expect(Math.max(...r.outputAtStopUa)).toBeGreaterThan(0);
    expect(r.report.results.find((x) => x.id === 'amplitude.slew')!.detail).toMatch(/stopped by the user/);
    expect(Math.max(...r.outputAfterStopUa.slice(2))).toBe(0);
    expect(r.board.fault).toBe('estop');
  });

  test('a signal aborted before the run starts runs nothing and still sends ESTOP', async () => {
    const clock = new VirtualClock();
    const board = new SimulatedBoard({ clock, channelCount: 2 });
    const controller = new AbortController();
    controller.abort();
    const report = await runConformance(new SimulatedTransport(board), { timeBase: 'virtual', timer: { now: () => clock.now(), sleep: (ms) => clock.advance(ms) }, signal: controller.signal });
    expect(report.pass).toBe(false);
    expect(report.results.every((x) => /stopped by the user/.test(x.detail))).toBe(true);
    expect(board.fault).toBe('estop');
    board.destroy();
  });
});
