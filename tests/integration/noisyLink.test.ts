/**
 * Long runs over a noisy link: 1 % of bytes corrupted (both directions) for 10 simulated minutes, and 1 %
 * of bytes lost. Whatever the noise does to individual frames, no wrong program is ever played (every
 * output sample is checked against what the client verified), every board fault reaches the client, and
 * the run ends with zero output.
 */
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../src/lib/device/errors.ts';
import { guardEnvelope } from './support/envelopeGuard.ts';
import { connectedRig, PROGRAM, settle, type Rig } from './support/rig.ts';

const MINUTE_MS = 60_000;
const AMPLITUDES = [15_000, 25_000];

/** Run a session script for `durationMs`, recovering from whatever the noise causes, as an operator would. */
async function operate(rig: Rig, durationMs: number, guard: ReturnType<typeof guardEnvelope>) {
  const { clock, client } = rig;
  const program = { ...PROGRAM, durationMs: 2 * MINUTE_MS };
  const tolerate = async (p: Promise<unknown>) => {
    try {
      return await settle(clock, p, 5_000);
    } catch (error) {
      if (error instanceof DeviceError) return error;
      throw error;
    }
  };
  const stats = { starts: 0, recoveries: 0, amplitudeChanges: 0, errors: 0 };
  const end = clock.now() + durationMs;
  let n = 0;
  while (clock.now() < end) {
    const state = client.state;
    if (state === 'faulted') {
      if (!((await tolerate(client.clearFault())) instanceof DeviceError)) stats.recoveries++;
    } else if (state === 'ready') {
      const echoed = await tolerate(client.setProgram(program));
      if (echoed instanceof DeviceError) stats.errors++;
      else {
        guard.accept(echoed as typeof program);
        if (!((await tolerate(client.start(0))) instanceof DeviceError)) stats.starts++;
      }
    } else if (state === 'stimulating' && ++n % 15 === 0) {
      const r = await tolerate(client.setAmplitude(0, AMPLITUDES[n % 2]!));
      if (!(r instanceof DeviceError)) stats.amplitudeChanges++;
    }
    expect(client.state).not.toBe('lost');
    await clock.advance(1_000);
  }
  return stats;
}

async function noisyRun(inject: (rig: Rig) => void, durationMs: number) {
  const rig = await connectedRig({ board: { seed: 7 } });
  const guard = guardEnvelope(rig, new Set(AMPLITUDES));
  const boardFaults = new Set<string>();
  rig.board.onFrame((dir, m) => {
    if (dir === 'out' && m.type === 'fault') boardFaults.add(m.code);
  });
  inject(rig);
  const stats = await operate(rig, durationMs, guard);
  // Stop: ESTOP is re-sent until ACKed, so it gets through the noise.
  await settle(rig.clock, rig.client.estop());
  await rig.clock.advance(2_000);
  return { rig, guard, stats, boardFaults };
}

describe('noisy link, long runs', () => {
  it('1 % byte corruption for 10 simulated minutes: no wrong program ever played, faults reported, ends at zero output', async () => {
    const { rig, guard, stats, boardFaults } = await noisyRun((r) => r.board.inject.corruption(0.01), 10 * MINUTE_MS);
    expect(guard.violations).toEqual([]);
    expect(guard.samples).toBeGreaterThan(10 * MINUTE_MS); // every 1 ms sample on 2 channels was checked
    expect(guard.runs.length).toBeGreaterThanOrEqual(1);
    expect(guard.peakUa).toBeGreaterThanOrEqual(15_000);
    expect(stats.starts).toBeGreaterThanOrEqual(1);
    expect(rig.client.linkHealth.drops.crc + rig.client.linkHealth.drops.cobs + rig.client.linkHealth.drops.length).toBeGreaterThan(100);
    expect(rig.board.stats.drops.crc + rig.board.stats.drops.cobs + rig.board.stats.drops.length).toBeGreaterThan(100);
    const clientFaults = new Set(rig.events.faults.map((f) => f.code));
    for (const code of boardFaults) expect(clientFaults, `board fault ${code} reported to the client`).toContain(code);
    expect(rig.totalOutputUa()).toBe(0);
    expect(rig.board.fault).toBe('estop');
  }, 120_000);

  it('1 % byte loss for 3 simulated minutes: same guarantees', async () => {
    const { rig, guard, stats, boardFaults } = await noisyRun((r) => r.board.inject.loss(0.01), 3 * MINUTE_MS);
    expect(guard.violations).toEqual([]);
    expect(stats.starts).toBeGreaterThanOrEqual(1);
    expect(guard.peakUa).toBeGreaterThanOrEqual(15_000);
    const clientFaults = new Set(rig.events.faults.map((f) => f.code));
    for (const code of boardFaults) expect(clientFaults).toContain(code);
    expect(rig.totalOutputUa()).toBe(0);
  }, 120_000);
});
