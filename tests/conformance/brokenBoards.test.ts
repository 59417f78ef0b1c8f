/**
 * A suite that cannot fail proves nothing: the simulated board with one deliberate breakage
 * (hardware-mock's TEST-ONLY `testOnlyBreakages`) fails exactly the checks of the rule it breaks, and
 * passes the others.
 */
import { describe, expect, test } from 'vitest';
import { OverstatingTelemetry } from './overstatingTelemetry.ts';
import type { SimulatedBoard } from '../../hardware-mock/src/index.ts';
import { failed, runOnSimulatedBoard, summary } from './support.ts';

describe('conformance suite against deliberately non-conforming simulated boards', () => {
  test('watchdog disabled: both watchdog checks fail, saying it never tripped', async () => {
    const { report } = await runOnSimulatedBoard({ testOnlyBreakages: { watchdogDisabled: true } });
    expect(failed(report), summary(report)).toEqual(['watchdog.trip', 'watchdog.corrupt-frames']);
    expect(report.pass).toBe(false);
    const trip = report.results.find((r) => r.id === 'watchdog.trip')!;
    expect(trip.measured).toBe('did not trip');
    expect(trip.detail).toMatch(/no FAULT watchdog within \d+ ms of silence/);
  });

  test('limit checks off (every program and amplitude accepted): the refusal checks fail, naming what was accepted', async () => {
    const { report } = await runOnSimulatedBoard({ testOnlyBreakages: { acceptsEveryProgram: true } });
    expect(failed(report), summary(report)).toEqual(['programs.refused', 'programs.patched', 'nack.keeps-state']);
    const patched = report.results.find((r) => r.id === 'programs.patched')!;
    expect(patched.detail).toContain('amplitude 1 µA above the limit: answered ACK of setProgram (expected NACK naming amplitudeUa');
    expect(report.results.find((r) => r.id === 'nack.keeps-state')!.detail).toContain('SET_AMPLITUDE 60.001 mA answered ACK of setAmplitude');
  });

  test('no slew limit (SET_AMPLITUDE rises jump): the slew check fails', async () => {
    const { report } = await runOnSimulatedBoard({ testOnlyBreakages: { noSlewLimit: true } });
    expect(failed(report), summary(report)).toEqual(['amplitude.slew']);
    expect(report.results.find((r) => r.id === 'amplitude.slew')!.detail).toMatch(/after SET_AMPLITUDE the output rose at \d+ µA\/s \(limit 10000 µA\/s\)/);
  });

  test('output above what was allowed (TELEMETRY shows 20 × the current): the telemetry check fails', async () => {
    const { report } = await runOnSimulatedBoard({}, { wrap: (t) => new OverstatingTelemetry(t, 20) });
    expect(failed(report), summary(report)).toEqual(['telemetry.limits']);
    expect(report.results.find((r) => r.id === 'telemetry.limits')!.detail).toMatch(/channel 1 reached 60 mA \(most it was allowed: 30 mA\)/);
  });

  test('a board that never answers: every check fails with a reason, and the run still ends', async () => {
    const { report } = await runOnSimulatedBoard({}, { prepare: (board) => board.inject.freeze() });
    expect(report.results.every((r) => !r.pass)).toBe(true);
    expect(report.results[0]!.detail).toBe('no reply to getStatus within 200 ms');
    expect(report.results[1]!.detail).toBe('not run: the board did not answer HELLO with INFO');
  });

  test('a board unplugged during a check: that check fails, every later one is reported not run, and the run ends', async () => {
    let board: SimulatedBoard | null = null;
    const { report } = await runOnSimulatedBoard(
      {},
      {
        prepare: (b) => (board = b),
        onProgress: (e) => {
          if (e.kind === 'check-start' && e.id === 'estop.latch') board!.inject.unplug();
        },
      },
    );
    const at = report.results.findIndex((r) => r.id === 'estop.latch');
    expect(report.results.slice(0, at).every((r) => r.pass)).toBe(true);
    expect(report.results[at]!.pass).toBe(false);
    expect(report.results[at]!.detail).toMatch(/the connection was lost/);
    expect(report.results.slice(at + 1).map((r) => r.detail)).toEqual(report.results.slice(at + 1).map(() => expect.stringMatching(/^not run: the connection was lost \(.*device lost/)));
  });
});
