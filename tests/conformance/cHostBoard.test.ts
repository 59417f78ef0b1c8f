/**
 * The conformance suite against the C firmware's host port, through its pseudo-terminal and the Node
 * serial transport, on the real clock: every check passes, in well under 60 s. Skipped only where no C
 * compiler is present and CI is not set; under CI=true a missing compiler fails the run.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CHECK_IDS } from '../../src/lib/conformance/index.ts';
import { buildHostBoard, startHostBoard, type HostBoard } from './cHostBoard.ts';
import { failed, runOnPty, summary } from './support.ts';

function have(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tools = have('cc') && have('make');
if (!tools && process.env.CI === 'true') throw new Error('a C compiler (cc) and make are required under CI=true (apt-get install build-essential)');

let board: HostBoard | null = null;
beforeAll(async () => {
  if (tools) board = await startHostBoard(buildHostBoard());
}, 120_000);
afterAll(async () => {
  await board?.stop();
});

test.runIf(tools)('the C host board passes every conformance check within 60 s', async () => {
  const report = await runOnPty(board!.pty);
  console.log(summary(report));
  expect(failed(report), summary(report)).toEqual([]);
  expect(report.results.map((r) => r.id)).toEqual(CHECK_IDS);
  expect(report.board).toMatchObject({ channelCount: 2, watchdogMs: 500, telemetryRateHz: 1000 });
  expect(report.hostDrops).toEqual({ crc: 0, cobs: 0, length: 0, unknownType: 0, version: 0, malformed: 0 });
  expect(report.durationMs).toBeLessThan(60_000);
}, 90_000);
