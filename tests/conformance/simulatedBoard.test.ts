/**
 * The conformance suite against the TypeScript simulated board on virtual time: every check passes.
 */
import { expect, test } from 'vitest';
import { CHECK_IDS } from '../../src/lib/conformance/index.ts';
import { failed, runOnSimulatedBoard, summary } from './support.ts';

test('the simulated board passes every conformance check', async () => {
  const { report } = await runOnSimulatedBoard();
  expect(failed(report), summary(report)).toEqual([]);
  expect(report.results.map((r) => r.id)).toEqual(CHECK_IDS);
  expect(report.results.filter((r) => r.skipped)).toEqual([]);
  expect(report.board).toMatchObject({ serialNumber: 'SIM-0001', channelCount: 2, watchdogMs: 500 });
  const watchdog = report.results.find((r) => r.id === 'watchdog.trip')!;
  expect(watchdog.measured).toMatch(/^tripped 500 ms after the last valid frame/);
  console.log(summary(report));
});
