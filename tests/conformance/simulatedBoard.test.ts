/**
 * The conformance suite against the TypeScript simulated board on virtual time: every check passes;
 * the API a CLI or an app screen uses (progress events, a subset of checks, refusing unknown ids).
 */
import { expect, test } from 'vitest';
import { CHECK_IDS, runConformance, type ConformanceProgress } from '../../src/lib/conformance/index.ts';
import { SimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { failed, runOnSimulatedBoard, summary } from './support.ts';

test('the simulated board passes every conformance check', async () => {
  const events: ConformanceProgress[] = [];
  const { report } = await runOnSimulatedBoard({}, { onProgress: (e) => events.push(e) });
  expect(failed(report), summary(report)).toEqual([]);
  expect(report.results.map((r) => r.id)).toEqual(CHECK_IDS);
  expect(report.results.filter((r) => r.skipped)).toEqual([]);
  expect(report.board).toMatchObject({ serialNumber: 'SIM-0001', channelCount: 2, watchdogMs: 500 });
  expect(report.hostDrops).toEqual({ crc: 0, cobs: 0, length: 0, unknownType: 0, version: 0, malformed: 0 });
  // On virtual time the simulated board is exact: the watchdog trips at 500 ms, the session ends at 1000 ms.
  expect(report.results.find((r) => r.id === 'watchdog.trip')!.measured).toMatch(/^tripped 500 ms after the last valid frame/);
  expect(report.results.find((r) => r.id === 'session.max-duration')!.measured).toBe('session of 1000 ms ended after 1000 ms (board clock)');
  // One start and one done event per check, in order, each done carrying its result.
  expect(events.map((e) => `${e.kind}:${e.kind === 'check-start' ? e.id : e.result.id}`)).toEqual(CHECK_IDS.flatMap((id) => [`check-start:${id}`, `check-done:${id}`]));
  expect(events.every((e) => e.total === CHECK_IDS.length)).toBe(true);
  for (const r of report.results) {
    expect(r.title, r.id).toMatch(/^[A-Z]/);
    expect(r.measured, r.id).not.toBe('');
  }
});

test('`only` runs HELLO plus the named checks; an unknown id is refused before anything is sent', async () => {
  const { report } = await runOnSimulatedBoard({}, { only: ['estop.latch'] });
  expect(report.results.map((r) => r.id)).toEqual(['hello', 'estop.latch']);
  expect(report.pass).toBe(true);
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock });
  const frames: string[] = [];
  board.onFrame((direction, m) => frames.push(`${direction} ${m.type}`));
  const timer = { now: () => clock.now(), sleep: (ms: number) => clock.advance(ms) };
  await expect(runConformance(new SimulatedTransport(board), { timer, timeBase: 'virtual', only: ['estop', 'watchdog.trip'] })).rejects.toThrow(/unknown conformance check id\(s\): estop/);
  expect(frames).toEqual([]);
  board.destroy();
});
