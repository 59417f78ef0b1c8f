/**
 * The conformance suite is isomorphic: in real Chromium (browser streams, MessageChannel settling, the
 * golden vectors as JSON modules) it runs against the simulated board on virtual time and every check
 * passes, as in Node.
 */
import { expect, test } from 'vitest';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { CHECK_IDS, runConformance } from '../../src/lib/conformance/index.ts';
import { createSimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';

test('the conformance suite runs in Chromium and the simulated board passes every check', async () => {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock });
  const report = await runConformance(createSimulatedTransport(board), {
    timeBase: 'virtual',
    timer: { now: () => clock.now(), sleep: (ms) => clock.advance(ms) },
    dropCounters: () => board.stats.drops,
  });
  board.destroy();
  const failedIds = report.results.filter((r) => !r.pass).map((r) => `${r.id}: ${r.detail}`);
  expect(failedIds).toEqual([]);
  expect(report.results.map((r) => r.id)).toEqual(CHECK_IDS);
}, 120_000);
