/**
 * The conformance suite against the C firmware image for the Arm MPS2 AN385 (Cortex-M3) running in
 * QEMU, through its UART0 on a pty and the Node serial transport, on the real clock. Every check passes.
 * Skipped only where qemu-system-arm or arm-none-eabi-gcc is missing and CI is not set; under CI=true a
 * missing tool fails the run.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CHECK_IDS } from '../../src/lib/conformance/index.ts';
import { buildImage, startQemu, type QemuBoard } from './qemuBoard.ts';
import { failed, runOnPty, summary } from './support.ts';

function have(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tools = have('qemu-system-arm') && have('arm-none-eabi-gcc');
if (!tools && process.env.CI === 'true') throw new Error('qemu-system-arm and arm-none-eabi-gcc are required under CI=true (apt-get install qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi)');

let qemu: QemuBoard | null = null;
beforeAll(async () => {
  if (tools) qemu = await startQemu(buildImage());
}, 120_000);
afterAll(async () => {
  await qemu?.stop();
});

test.runIf(tools)('the C firmware on an emulated Cortex-M3 (QEMU mps2-an385) passes every conformance check within 60 s', async () => {
  const report = await runOnPty(qemu!.pty);
  console.log(summary(report));
  expect(failed(report), summary(report)).toEqual([]);
  expect(report.results.map((r) => r.id)).toEqual(CHECK_IDS);
  expect(report.board).toMatchObject({ serialNumber: 'SB-MPS2-0001', channelCount: 2, watchdogMs: 500, telemetryRateHz: 1000 });
  expect(report.hostDrops).toEqual({ crc: 0, cobs: 0, length: 0, unknownType: 0, version: 0, malformed: 0 });
  expect(report.durationMs).toBeLessThan(60_000);
}, 90_000);
