import { describe, expect, test } from 'vitest';
import { TelemetrySummariser } from '../../src/lib/session/TelemetrySummariser.ts';
import { PROGRAM, telemetry } from './helpers.ts';

describe('TelemetrySummariser', () => {
  test('per-second min, mean and max of the delivered current, on the board clock', () => {
    const s = new TelemetrySummariser(0, PROGRAM);
    // Second 0: ramp 0..999 µA; second 1: constant 5000 µA.
    expect(s.add(telemetry(0, 100, 1000, (ms) => ms - 100))).toEqual([]);
    s.add(telemetry(0, 1100, 1000, () => 5000));
    const chunk = s.currentChunk()!;
    expect(chunk.seconds).toBe(2);
    expect([chunk.minUa[0], chunk.meanUa[0], chunk.maxUa[0]]).toEqual([0, 500, 999]);
    expect([chunk.minUa[1], chunk.meanUa[1], chunk.maxUa[1]]).toEqual([5000, 5000, 5000]);
    expect(chunk.samples[0]).toBe(1000);
    expect(chunk.activeSamples[0]).toBe(999);
    expect(chunk.boardStartMs).toBe(100);
  });

  test('ignores other channels', () => {
    const s = new TelemetrySummariser(1, PROGRAM);
    s.add(telemetry(0, 0, 50, () => 1000));
    expect(s.currentChunk()).toBeNull();
    expect(s.dose().samples).toBe(0);
  });

  test('a chunk holds 60 seconds and is returned complete when the next minute starts', () => {
    const s = new TelemetrySummariser(0, PROGRAM);
    let completed = 0;
    for (let t = 0; t < 61_000; t += 50) completed += s.add(telemetry(0, t, 50, () => 2000)).length;
    expect(completed).toBe(1);
    const current = s.currentChunk()!;
    expect(current.firstSecond).toBe(60);
    expect(current.seconds).toBe(1);
  });

  test('dose: active time, amplitude integral and charge for a fixed-rate program', () => {
    const s = new TelemetrySummariser(0, PROGRAM); // 100 Hz, 100 µs
    s.add(telemetry(0, 0, 1000, (ms) => (ms < 500 ? 0 : 10_000)));
    const dose = s.dose();
    expect(dose.activeMs).toBe(500);
    expect(dose.amplitudeIntegralUaMs).toBe(5_000_000);
    // 0.5 s × 100 pulses/s × 10 mA × 100 µs = 50 pulses × 1 µC = 50 µC
    expect(dose.chargeUc).toBeCloseTo(50, 9);
    expect(dose.peakUa).toBe(10_000);
    expect(dose.samples).toBe(1000);
  });

  test('charge uses the mean pulse rate: burst trains and linear sweeps', () => {
    const burst = new TelemetrySummariser(0, { ...PROGRAM, mode: 'burst', frequencyDeciHz: 20, burstPulses: 7, burstFrequencyDeciHz: 1000, pulseWidthUs: 200 });
    burst.add(telemetry(0, 0, 1000, () => 1000));
    // 1 s × 14 pulses/s × 1 mA × 200 µs = 2.8 µC
    expect(burst.dose().chargeUc).toBeCloseTo(2.8, 9);
    const sweep = new TelemetrySummariser(0, { ...PROGRAM, mode: 'modulated', frequencyDeciHz: 20, sweepHighDeciHz: 1000, sweepPeriodMs: 6000 });
    sweep.add(telemetry(0, 0, 1000, () => 1000));
    // mean rate (2 + 100)/2 = 51 pulses/s × 1 mA × 100 µs = 5.1 µC
    expect(sweep.dose().chargeUc).toBeCloseTo(5.1, 9);
  });

  test('a board clock that goes backwards (reset) continues the session seconds instead of overwriting them', () => {
    const s = new TelemetrySummariser(0, PROGRAM);
    s.add(telemetry(0, 5000, 2000, () => 100)); // seconds 0 and 1
    s.add(telemetry(0, 10, 1000, () => 300)); // board restarted
    const chunk = s.currentChunk()!;
    expect(chunk.seconds).toBe(3);
    expect(chunk.meanUa[0]).toBe(100);
    expect(chunk.meanUa[1]).toBe(100);
    expect(chunk.meanUa[2]).toBe(300);
    expect(s.dose().samples).toBe(3000);
  });
});
