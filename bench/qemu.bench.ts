/**
 * The C firmware on an emulated Cortex-M3 (QEMU -M mps2-an385), figures printed, never asserted:
 *
 * 1. ESTOP latency in instructions, from the last byte of the ESTOP frame arriving to the last DAC
 *    register reaching 0 (target ≤ 2,000 instructions). Method: the -probe image reads TIMER0 (a 25 MHz
 *    down counter) at the top of the UART0 RX interrupt for each byte, and again in the HAL's set_output
 *    when that byte's frame has driven every DAC register from non-zero to 0; the difference in counter
 *    ticks is printed through Arm semihosting ("estop-latency-ticks N"). QEMU runs with -icount shift=0:
 *    each instruction advances virtual time by exactly 1 ns, so one 40 ns tick is 40 instructions and
 *    ticks × 40 is the instruction count, to within one tick (±40). It starts after the RX interrupt's
 *    entry (the exception entry itself is not an instruction) and includes the COBS/CRC check of the
 *    delimiter, the dispatch and the output writes for both channels.
 * 2. Watchdog trip time in QEMU (real time, no -icount), p50/p99 over 100 trials: HELLO, one HEARTBEAT
 *    answered, then silence; from the moment the HEARTBEAT's write began to the FAULT watchdog arriving
 *    at the host (pty and QEMU latency included), and the board's own figure (FAULT detail, ms since the
 *    last valid frame). CLEAR_FAULT between trials.
 */
import { test } from 'vitest';
import { BoardLink } from '../src/lib/conformance/BoardLink.ts';
import { NodeSerialPortTransport } from '../src/lib/transport/NodeSerialPortTransport.ts';
import type { Program } from '../firmware-protocol/src/index.ts';
import { buildImage, startQemu, type QemuBoard } from '../tests/conformance/qemuBoard.ts';
import { realTimer } from '../tests/conformance/support.ts';

const ESTOP_TRIALS = 50;
const WATCHDOG_TRIALS = 100;
const NS_PER_TICK = 40;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const program = (channel: number): Program => ({
  channel,
  mode: 'conventional',
  waveform: 'symmetric-biphasic',
  frequencyDeciHz: 1000,
  pulseWidthUs: 200,
  amplitudeUa: 2_000,
  durationMs: 600_000,
  rampUpMs: 200,
  rampDownMs: 200,
  burstPulses: 0,
  burstFrequencyDeciHz: 0,
  sweepHighDeciHz: 0,
  sweepPeriodMs: 0,
});

async function connect(qemu: QemuBoard): Promise<{ link: BoardLink; transport: NodeSerialPortTransport }> {
  const transport = new NodeSerialPortTransport(qemu.pty);
  await transport.open();
  const link = new BoardLink(transport, realTimer, 2_000);
  link.start();
  // QEMU notices a newly opened pty on its next poll (up to 1 s): HELLO until it answers.
  for (let i = 0; i < 50; i++) {
    const { reply } = await link.exchange({ type: 'hello', minVersion: 1, maxVersion: 1 });
    if (reply?.type === 'info') return { link, transport };
  }
  throw new Error('the QEMU board never answered HELLO');
}

test('QEMU mps2-an385: ESTOP latency in instructions (-icount shift=0)', async () => {
  const qemu = await startQemu(buildImage(true), ['-icount', 'shift=0,sleep=on', '-semihosting-config', 'enable=on,target=native']);
  const { link, transport } = await connect(qemu);
  const ticks: number[] = [];
  try {
    for (const c of [0, 1]) await link.request({ type: 'setProgram', program: program(c) });
    for (let trial = 0; trial < ESTOP_TRIALS; trial++) {
      await link.request({ type: 'start', channel: 0 });
      await link.request({ type: 'start', channel: 1 });
      await link.hold(260);
      const before = (qemu.output().match(/estop-latency-ticks \d+/g) ?? []).length;
      await link.request({ type: 'estop' });
      for (let i = 0; i < 200 && (qemu.output().match(/estop-latency-ticks \d+/g) ?? []).length === before; i++) await realTimer.sleep(5);
      const all = [...qemu.output().matchAll(/estop-latency-ticks (\d+)/g)];
      if (all.length > before) ticks.push(Number(all[all.length - 1]![1]));
      await link.request({ type: 'clearFault' });
    }
  } finally {
    await link.stop();
    await transport.close();
    await qemu.stop();
  }
  const instructions = ticks.map((t) => t * NS_PER_TICK).sort((a, b) => a - b);
  console.log(
    `QEMU mps2-an385 ESTOP latency, last byte of the frame → every DAC register 0 (${instructions.length} of ${ESTOP_TRIALS} trials reported):\n` +
      `  p50 ${percentile(instructions, 50)} instructions, p99 ${percentile(instructions, 99)}, max ${instructions[instructions.length - 1]} (±${NS_PER_TICK}; target ≤ 2000)`,
  );
});

test('QEMU mps2-an385: watchdog trip time, p50/p99 over 100 trials', async () => {
  const qemu = await startQemu(buildImage(false));
  const { link, transport } = await connect(qemu);
  const hostMs: number[] = [];
  const boardMs: number[] = [];
  try {
    await link.request({ type: 'clearFault' });
    for (let trial = 0; trial < WATCHDOG_TRIALS; trial++) {
      await link.request({ type: 'heartbeat' });
      const lastValid = link.lastValidSentAtMs;
      const mark = link.mark();
      const fault = await link.waitFor((m) => m.type === 'fault' && m.code === 'watchdog', mark, 2_000);
      if (fault && fault.message.type === 'fault') {
        hostMs.push(fault.atMs - lastValid);
        boardMs.push(fault.message.detail);
      }
      await link.request({ type: 'clearFault' });
    }
  } finally {
    await link.stop();
    await transport.close();
    await qemu.stop();
  }
  hostMs.sort((a, b) => a - b);
  boardMs.sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(1);
  console.log(
    `QEMU mps2-an385 watchdog (500 ms), ${hostMs.length} of ${WATCHDOG_TRIALS} trials tripped:\n` +
      `  at the host, last valid frame written → FAULT read: p50 ${f(percentile(hostMs, 50))} ms, p99 ${f(percentile(hostMs, 99))} ms, min ${f(hostMs[0]!)} ms\n` +
      `  the board's own figure (FAULT detail):            p50 ${percentile(boardMs, 50)} ms, p99 ${percentile(boardMs, 99)} ms`,
  );
});
