/**
 * The output model seen from outside: electrode voltage and compliance clipping, TELEMETRY batches that
 * carry exactly the samples onSample saw, dose accounting, pulse trains, and the fast (bulk) path agreeing
 * with the sample-by-sample one.
 */
import { describe, expect, test } from 'vitest';
import { effectiveImpedanceOhm, type SimulatedBoardOptions } from '../../hardware-mock/src/index.ts';
import { PulseTrain } from '../../hardware-mock/src/PulseTrain.ts';
import { Host, conventional, peakUa, type Sample } from './harness.ts';

describe('electrode voltage and compliance', () => {
  test('V = I·(Rs + Rp·(1 − e^(−pw/(Rp·C)))) at the end of the primary phase', async () => {
    const h = await Host.connect();
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 20_000, rampUpMs: 2_000, pulseWidthUs: 200 }));
    await h.runWithHeartbeats(3_000);
    const z = 200 + 1000 * (1 - Math.exp(-200 / (1000 * 100e-9 * 1e6)));
    expect(effectiveImpedanceOhm({ seriesOhm: 200, parallelOhm: 1000, parallelNf: 100 }, 200)).toBeCloseTo(z, 9);
    const hold = samples.filter((s) => s.channel === 0 && s.atMs > 2_500);
    expect(hold.every((s) => s.currentUa === 20_000 && s.voltageMv === Math.round((20_000 * z) / 1000))).toBe(true);
    await h.close();
  });

  test('a high-impedance load clips the current at compliance: V never exceeds complianceMv', async () => {
    const load = { seriesOhm: 3_000, parallelOhm: 1_000, parallelNf: 100 };
    const h = await Host.connect({ load });
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 40_000, rampUpMs: 4_000, pulseWidthUs: 200 }));
    await h.runWithHeartbeats(5_000);
    const z = effectiveImpedanceOhm(load, 200);
    const limitUa = Math.round((80_000 * 1000) / z);
    expect(h.board.outputUa(0)).toBe(limitUa);
    expect(limitUa).toBeLessThan(40_000);
    expect(Math.max(...samples.map((s) => s.voltageMv))).toBeLessThanOrEqual(80_000);
    expect(h.board.channelStatus(0)).toMatchObject({ state: 'holding', amplitudeUa: limitUa, targetUa: 40_000 });
    // Telemetry reports the clipped current too.
    const t = h.last('telemetry')!;
    expect(t.samples.at(-1)).toEqual({ currentUa: limitUa, voltageMv: Math.round((limitUa * z) / 1000) });
    // And a lower compliance voltage clips lower.
    const low = await Host.connect({ load, caps: { complianceMv: 40_000 } });
    await low.startProgram(conventional({ amplitudeUa: 40_000, rampUpMs: 4_000, pulseWidthUs: 200 }));
    await low.runWithHeartbeats(5_000);
    expect(low.board.outputUa(0)).toBe(Math.round((40_000 * 1000) / z));
    await h.close();
    await low.close();
  });
});

describe('TELEMETRY', () => {
  test('one frame per 50 ms batch at 1 kHz: 50 samples, 1000 µs apart, contiguous, equal to onSample', async () => {
    const h = await Host.connect({ telemetryBatchMs: 50 });
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000 }));
    await h.runWithHeartbeats(2_000);
    const frames = h.of('telemetry');
    expect(frames.length).toBe(40);
    expect(frames.every((f) => f.channel === 0 && f.sampleIntervalUs === 1000 && f.samples.length === 50)).toBe(true);
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.firstSampleMs).toBe(frames[i - 1]!.firstSampleMs + 50);
    const byTime = new Map(samples.filter((s) => s.channel === 0).map((s) => [s.atMs, s]));
    for (const f of frames) {
      f.samples.forEach((t, i) => {
        const s = byTime.get(f.firstSampleMs + i)!; // the board booted at clock 0: uptime = clock time
        expect([t.currentUa, t.voltageMv]).toEqual([s.currentUa, s.voltageMv]);
      });
    }
    await h.close();
  });

  test('other rates and batch lengths: 500 Hz × 100 ms → 50 samples 2000 µs apart; 2 kHz splits at 100 samples per frame', async () => {
    const a = await Host.connect({ telemetryRateHz: 500, telemetryBatchMs: 100 });
    await a.startProgram(conventional({ amplitudeUa: 1_000, rampUpMs: 100 }));
    await a.runWithHeartbeats(1_000);
    expect(a.of('telemetry').every((f) => f.sampleIntervalUs === 2000 && f.samples.length === 50)).toBe(true);
    expect(a.of('telemetry').length).toBe(10);
    const b = await Host.connect({ telemetryRateHz: 2_000, telemetryBatchMs: 80 });
    await b.startProgram(conventional({ amplitudeUa: 1_000, rampUpMs: 100 }));
    await b.runWithHeartbeats(800);
    const sizes = b.of('telemetry').map((f) => f.samples.length);
    expect(Math.max(...sizes)).toBe(100);
    expect(sizes.reduce((x, y) => x + y, 0)).toBe(1_600);
    await a.close();
    await b.close();
  });

  test('sent while a channel runs, plus exactly one batch after it goes idle; none from an idle board', async () => {
    const h = await Host.connect();
    await h.runWithHeartbeats(1_000);
    expect(h.of('telemetry')).toHaveLength(0);
    await h.startProgram(conventional({ amplitudeUa: 1_000, rampUpMs: 100, rampDownMs: 100, durationMs: 1_000 }));
    await h.runWithHeartbeats(3_000);
    const frames = h.of('telemetry');
    const lastActive = frames.filter((f) => f.samples.some((s) => s.currentUa > 0)).at(-1)!;
    const after = frames.filter((f) => f.firstSampleMs > lastActive.firstSampleMs);
    expect(after).toHaveLength(1);
    expect(after[0]!.samples.every((s) => s.currentUa === 0 && s.voltageMv === 0)).toBe(true);
    expect(frames.filter((f) => f.channel === 1)).toHaveLength(0);
    await h.close();
  });

  test('telemetryRateHz 0: no TELEMETRY frames, yet the output model still runs (ramps, max-duration stop, onSample at 1 kHz)', async () => {
    const h = await Host.connect({ telemetryRateHz: 0 });
    expect(h.received[0]).toMatchObject({ type: 'info', telemetryRateHz: 0 });
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 2_000, rampUpMs: 200, rampDownMs: 200, durationMs: 1_000 }));
    await h.runWithHeartbeats(500);
    expect(h.board.outputUa(0)).toBe(2_000);
    await h.runWithHeartbeats(1_000);
    expect(h.board.channelStatus(0).state).toBe('idle');
    expect(h.of('telemetry')).toHaveLength(0);
    expect(samples.filter((s) => s.channel === 0).length).toBe(1_500);
    await h.close();
  });
});

describe('dose accounting', () => {
  async function session(options: SimulatedBoardOptions, program = conventional({ amplitudeUa: 10_000, rampUpMs: 1_000, rampDownMs: 1_000, durationMs: 5_000 })) {
    const h = await Host.connect(options);
    const samples = h.recordSamples();
    await h.startProgram(program);
    await h.runWithHeartbeats(program.durationMs + 500);
    return { h, samples: samples.filter((s) => s.channel === program.channel), program };
  }

  test('activeMs and ∫I dt equal the sum over onSample; charge is Σ per-pulse I·pw at 100 Hz', async () => {
    const { h, samples, program } = await session({});
    const dose = h.board.dose(0);
    const active = samples.filter((s) => s.currentUa > 0);
    expect(dose.activeMs).toBeCloseTo(active.length, 6);
    expect(dose.amplitudeIntegralUaMs).toBeCloseTo(active.reduce((n, s) => n + s.currentUa, 0), 3);
    // Pulses fire at START + 10 ms·n (the first at START itself); each is charged at the current of the
    // first sample at or after its onset. START was at t = 0 (HELLO and START took no virtual time).
    let expectedNc = 0;
    for (let onset = 0; onset < program.durationMs; onset += 10) {
      const s = samples.find((x) => x.atMs >= onset)!;
      expectedNc += (s.currentUa * program.pulseWidthUs) / 1000;
    }
    expect(dose.chargeNc).toBeCloseTo(expectedNc, 3);
    // Magnitude: 10 mA × 200 µs × 100 Hz × (3 s hold + two 1 s ramps at half) = 0.8 mC = 800 000 nC.
    expect(dose.chargeNc).toBeCloseTo(800_000, -1);
    expect(dose.netChargeNc).toBe(0);
    await h.close();
  });

  test('compliance clipping is in the dose: the clipped current is what counts', async () => {
    const load = { seriesOhm: 3_000, parallelOhm: 1_000, parallelNf: 100 };
    const { h, samples } = await session({ load }, conventional({ amplitudeUa: 40_000, rampUpMs: 4_000, rampDownMs: 1_000, durationMs: 8_000 }));
    expect(peakUa(samples)).toBeLessThan(40_000);
    expect(h.board.dose(0).amplitudeIntegralUaMs).toBeCloseTo(samples.reduce((n, s) => n + s.currentUa, 0), 3);
    await h.close();
  });

  test('asymmetric waveform: the balancing phase carries the same charge (no net DC)', async () => {
    const { h } = await session({}, conventional({ waveform: 'asymmetric-biphasic', amplitudeUa: 8_000, rampUpMs: 800, durationMs: 3_000 }));
    const dose = h.board.dose(0);
    expect(dose.chargeNc).toBeGreaterThan(0);
    expect(dose.netChargeNc).toBe(0);
    await h.close();
  });

  test('the fast path (no sample listener) gives the same bytes and the same dose as the sample-by-sample path', async () => {
    const run = async (listen: boolean) => {
      const h = await Host.connect({ seed: 9 });
      if (listen) h.recordSamples();
      await h.startProgram(conventional({ amplitudeUa: 12_000, rampUpMs: 1_200, rampDownMs: 700, durationMs: 20_000 }));
      await h.runWithHeartbeats(5_000);
      await h.request({ type: 'setAmplitude', channel: 0, amplitudeUa: 20_000 });
      await h.runWithHeartbeats(5_000);
      await h.request({ type: 'stop', channel: 0 });
      await h.runWithHeartbeats(2_000);
      const out = { bytes: h.bytesRead(), dose: h.board.dose(0) };
      await h.close();
      return out;
    };
    const slow = await run(true);
    const fast = await run(false);
    expect(Buffer.from(fast.bytes).equals(Buffer.from(slow.bytes))).toBe(true);
    expect(fast.dose.activeMs).toBeCloseTo(slow.dose.activeMs, 6);
    expect(fast.dose.amplitudeIntegralUaMs).toBeCloseTo(slow.dose.amplitudeIntegralUaMs, 2);
    expect(fast.dose.chargeNc).toBeCloseTo(slow.dose.chargeNc, 3);
  });
});

describe('pulse trains', () => {
  test('fixed rate: countUpTo and onsetMs are inverses; 100 Hz gives 100 pulses per second', () => {
    const t = new PulseTrain(conventional({ frequencyDeciHz: 1000 }));
    expect(t.countUpTo(999.999)).toBe(100);
    expect(t.countUpTo(1000)).toBe(101);
    for (let i = 0; i < 500; i++) {
      expect(t.countUpTo(t.onsetMs(i))).toBe(i + 1);
      expect(t.countUpTo(t.onsetMs(i) - 1e-6)).toBe(i);
    }
  });

  test('burst: trains of n pulses at the intra-burst rate, repeated at the burst rate', () => {
    const t = new PulseTrain(conventional({ mode: 'burst', frequencyDeciHz: 20, burstPulses: 7, burstFrequencyDeciHz: 1000 }));
    // 2 bursts/s × 7 pulses; train of 7 pulses at 100 Hz lasts 60 ms (onsets 0..60), then silence to 500 ms.
    expect(t.countUpTo(60)).toBe(7);
    expect(t.countUpTo(499)).toBe(7);
    expect(t.countUpTo(500)).toBe(8);
    expect(t.countUpTo(10_000 - 1e-6)).toBe(140);
    expect(t.onsetMs(7)).toBe(500);
    expect(t.onsetMs(13)).toBeCloseTo(560, 9);
  });

  test('sweep: the rate goes low → high → low over the period; pulses per period = mean rate × period', () => {
    const t = new PulseTrain(conventional({ mode: 'modulated', frequencyDeciHz: 100, sweepHighDeciHz: 1000, sweepPeriodMs: 10_000 }));
    // (10 Hz + 100 Hz) / 2 × 10 s = 550 pulses per period.
    expect(t.countUpTo(10_000 - 1e-6)).toBe(550);
    expect(t.countUpTo(20_000 - 1e-6)).toBe(1_100);
    // Near the low end pulses are ~100 ms apart, near the high end ~10 ms.
    expect(t.onsetMs(1) - t.onsetMs(0)).toBeGreaterThan(90);
    const mid = t.countUpTo(5_000);
    expect(t.onsetMs(mid) - t.onsetMs(mid - 1)).toBeLessThan(10.5);
    for (let i = 0; i < 1_200; i += 7) expect(t.countUpTo(t.onsetMs(i) + 1e-7)).toBe(i + 1);
  });

  test('burst and sweep sessions deliver their pulses to the dose', async () => {
    const burst = await Host.connect();
    await burst.startProgram(conventional({ mode: 'burst', frequencyDeciHz: 20, pulseWidthUs: 200, burstPulses: 7, burstFrequencyDeciHz: 1000, amplitudeUa: 10_000, rampUpMs: 1_000, durationMs: 60_000 }));
    await burst.runWithHeartbeats(3_000);
    const before = burst.board.dose(0).chargeNc;
    await burst.runWithHeartbeats(10_000);
    // 14 pulses/s × 10 s × 10 mA × 200 µs = 280 000 nC
    expect(burst.board.dose(0).chargeNc - before).toBeCloseTo(280_000, -3);
    await burst.close();
  });
});

describe('samples', () => {
  test('onSample reports every channel at every sample instant, idle ones at 0', async () => {
    const h = await Host.connect({ channelCount: 3 });
    const samples: Sample[] = h.recordSamples();
    await h.runWithHeartbeats(100);
    expect(samples.length).toBe(300);
    expect(new Set(samples.map((s) => s.channel))).toEqual(new Set([0, 1, 2]));
    expect(samples.every((s) => s.currentUa === 0 && s.voltageMv === 0)).toBe(true);
    await h.close();
  });
});
