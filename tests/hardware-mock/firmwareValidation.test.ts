/**
 * The board's own limit checks: same table as the protocol's, same verdict as the host validator on any
 * program, and each refusal mapped to the NACK code, field, value and bound.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MODES, MODE_LIMITS, maxAmplitudeForRmsUa, validateProgram, type BoardCaps, type Mode, type Program } from '../../firmware-protocol/src/index.ts';
import { BOARD_MODE_TABLE, DEFAULT_CAPS, chargeAmplitudeBoundUa, checkAmplitudeOnBoard, checkProgramOnBoard, rmsAmplitudeBoundUa } from '../../hardware-mock/src/index.ts';
import { conventional } from './harness.ts';

const CAPS: BoardCaps = { channelCount: 2, ...DEFAULT_CAPS };

describe('the board limit table', () => {
  test.each(MODES)('%s matches firmware-protocol MODE_LIMITS (written independently, checked here)', (mode) => {
    const board = BOARD_MODE_TABLE[mode];
    const host = MODE_LIMITS[mode];
    expect(board.minFrequencyDeciHz).toBe(host.frequencyDeciHz.min);
    expect(board.maxFrequencyDeciHz).toBe(host.frequencyDeciHz.max);
    expect(board.minPulseWidthUs).toBe(host.pulseWidthUs.min);
    expect(board.maxPulseWidthUs).toBe(host.pulseWidthUs.max);
    expect(board.maxAmplitudeUa).toBe(host.maxAmplitudeUa);
    expect(board.maxDurationMs).toBe(host.maxDurationMs);
    expect(board.burst ? { pulses: { min: board.burst.minPulses, max: board.burst.maxPulses }, frequencyDeciHz: { min: board.burst.minFrequencyDeciHz, max: board.burst.maxFrequencyDeciHz }, maxTrainMs: board.burst.maxTrainMs } : undefined).toEqual(host.burst);
    expect(board.sweep ? { periodMs: { min: board.sweep.minPeriodMs, max: board.sweep.maxPeriodMs } } : undefined).toEqual(host.sweep);
  });
});

describe('checkProgramOnBoard: each refusal names code, field, value and bound', () => {
  const cases: [string, Partial<Program>, ReturnType<typeof checkProgramOnBoard>][] = [
    ['valid conventional program', {}, null],
    ['channel beyond the board', { channel: 2 }, { code: 'badChannel', field: 'channel', value: 2, bound: 1 }],
    ['frequency below the mode', { frequencyDeciHz: 499 }, { code: 'outOfRange', field: 'frequencyDeciHz', value: 499, bound: 500 }],
    ['frequency above the mode', { frequencyDeciHz: 1501 }, { code: 'outOfRange', field: 'frequencyDeciHz', value: 1501, bound: 1500 }],
    ['pulse width below', { pulseWidthUs: 49 }, { code: 'outOfRange', field: 'pulseWidthUs', value: 49, bound: 50 }],
    ['pulse width above', { pulseWidthUs: 251 }, { code: 'outOfRange', field: 'pulseWidthUs', value: 251, bound: 250 }],
    ['amplitude above the mode (60 mA)', { amplitudeUa: 60_001, rampUpMs: 7000 }, { code: 'outOfRange', field: 'amplitudeUa', value: 60_001, bound: 60_000 }],
    ['duration below 1 s', { durationMs: 999, rampUpMs: 400, rampDownMs: 0, amplitudeUa: 4000 }, { code: 'outOfRange', field: 'durationMs', value: 999, bound: 1000 }],
    ['duration above 12 h', { durationMs: 43_200_001 }, { code: 'outOfRange', field: 'durationMs', value: 43_200_001, bound: 43_200_000 }],
    ['ramp-up faster than the slew limit', { amplitudeUa: 20_000, rampUpMs: 1999 }, { code: 'outOfRange', field: 'rampUpMs', value: 1999, bound: 2000 }],
    ['ramp-up longer than 5 min', { rampUpMs: 300_001, durationMs: 600_000 }, { code: 'outOfRange', field: 'rampUpMs', value: 300_001, bound: 300_000 }],
    ['ramp-down longer than 5 min', { rampDownMs: 300_001, durationMs: 600_000 }, { code: 'outOfRange', field: 'rampDownMs', value: 300_001, bound: 300_000 }],
    ['ramps longer than the session', { durationMs: 3000, rampUpMs: 2000, rampDownMs: 1001 }, { code: 'outOfRange', field: 'durationMs', value: 3000, bound: 3001 }],
    ['burst field outside burst mode', { burstPulses: 3 }, { code: 'outOfRange', field: 'burstPulses', value: 3, bound: 0 }],
    ['sweep field outside modulated mode', { sweepPeriodMs: 5000 }, { code: 'outOfRange', field: 'sweepPeriodMs', value: 5000, bound: 0 }],
  ];
  test.each(cases)('%s', (_name, overrides, expected) => {
    expect(checkProgramOnBoard(conventional(overrides), CAPS)).toEqual(expected);
  });

  test('burst mode: pulses, intra-burst rate, train length', () => {
    const burst = (o: Partial<Program>) => conventional({ mode: 'burst', frequencyDeciHz: 20, pulseWidthUs: 200, burstPulses: 7, burstFrequencyDeciHz: 1000, ...o });
    expect(checkProgramOnBoard(burst({}), CAPS)).toBeNull();
    expect(checkProgramOnBoard(burst({ burstPulses: 1 }), CAPS)).toEqual({ code: 'outOfRange', field: 'burstPulses', value: 1, bound: 2 });
    expect(checkProgramOnBoard(burst({ burstPulses: 11 }), CAPS)).toEqual({ code: 'outOfRange', field: 'burstPulses', value: 11, bound: 10 });
    expect(checkProgramOnBoard(burst({ burstFrequencyDeciHz: 1600 }), CAPS)).toEqual({ code: 'outOfRange', field: 'burstFrequencyDeciHz', value: 1600, bound: 1500 });
    // 10 pulses at 50 Hz = 200 ms > 100 ms: at 50 Hz at most 5 pulses fit.
    expect(checkProgramOnBoard(burst({ burstPulses: 10, burstFrequencyDeciHz: 500 }), CAPS)).toEqual({ code: 'outOfRange', field: 'burstPulses', value: 10, bound: 5 });
  });

  test('modulated mode: sweep high end above the low end, period 1–30 s', () => {
    const mod = (o: Partial<Program>) => conventional({ mode: 'modulated', frequencyDeciHz: 100, sweepHighDeciHz: 1000, sweepPeriodMs: 5000, ...o });
    expect(checkProgramOnBoard(mod({}), CAPS)).toBeNull();
    expect(checkProgramOnBoard(mod({ sweepHighDeciHz: 100 }), CAPS)).toEqual({ code: 'outOfRange', field: 'sweepHighDeciHz', value: 100, bound: 101 });
    expect(checkProgramOnBoard(mod({ sweepHighDeciHz: 1501 }), CAPS)).toEqual({ code: 'outOfRange', field: 'sweepHighDeciHz', value: 1501, bound: 1500 });
    expect(checkProgramOnBoard(mod({ sweepPeriodMs: 999 }), CAPS)).toEqual({ code: 'outOfRange', field: 'sweepPeriodMs', value: 999, bound: 1000 });
    expect(checkProgramOnBoard(mod({ sweepPeriodMs: 30_001 }), CAPS)).toEqual({ code: 'outOfRange', field: 'sweepPeriodMs', value: 30_001, bound: 30_000 });
  });

  test('the board caps only tighten: a weaker board refuses what the mode allows, naming its own bound', () => {
    const weak: BoardCaps = { ...CAPS, maxAmplitudeUa: 10_000, maxPulseWidthUs: 150, maxFrequencyDeciHz: 1000, maxSlewUaPerS: 2_000 };
    const ok = (o: Partial<Program>) => conventional({ pulseWidthUs: 100, amplitudeUa: 5_000, rampUpMs: 3_000, ...o });
    expect(checkProgramOnBoard(ok({}), weak)).toBeNull();
    expect(checkProgramOnBoard(ok({ amplitudeUa: 10_001, rampUpMs: 6000 }), weak)).toEqual({ code: 'outOfRange', field: 'amplitudeUa', value: 10_001, bound: 10_000 });
    expect(checkProgramOnBoard(ok({ pulseWidthUs: 151 }), weak)).toEqual({ code: 'outOfRange', field: 'pulseWidthUs', value: 151, bound: 150 });
    expect(checkProgramOnBoard(ok({ frequencyDeciHz: 1001 }), weak)).toEqual({ code: 'outOfRange', field: 'frequencyDeciHz', value: 1001, bound: 1000 });
    // 10 mA at 2 mA/s needs 5 s of ramp.
    expect(checkProgramOnBoard(conventional({ amplitudeUa: 10_000, rampUpMs: 4999, pulseWidthUs: 100, frequencyDeciHz: 1000 }), weak)).toEqual({ code: 'outOfRange', field: 'rampUpMs', value: 4999, bound: 5000 });
    // Caps above the mode table never loosen it.
    const strong: BoardCaps = { ...CAPS, maxAmplitudeUa: 200_000, maxPulseWidthUs: 1000 };
    expect(checkProgramOnBoard(conventional({ pulseWidthUs: 251 }), strong)).toEqual({ code: 'outOfRange', field: 'pulseWidthUs', value: 251, bound: 250 });
  });

  test('checkAmplitudeOnBoard: live targets obey the mode cap and the board cap', () => {
    expect(checkAmplitudeOnBoard(conventional(), 60_000, CAPS)).toBeNull();
    expect(checkAmplitudeOnBoard(conventional(), 60_001, CAPS)).toEqual({ code: 'outOfRange', field: 'amplitudeUa', value: 60_001, bound: 60_000 });
    expect(checkAmplitudeOnBoard(conventional(), 30_001, { ...CAPS, maxAmplitudeUa: 30_000 })).toEqual({ code: 'outOfRange', field: 'amplitudeUa', value: 30_001, bound: 30_000 });
  });

  test('charge per phase ≤ 25 µC: acupuncture-like 400 µs above 62.5 mA is NACKed chargePerPhase with the highest amplitude that passes', () => {
    const al = (o: Partial<Program>) => conventional({ mode: 'acupuncture-like', frequencyDeciHz: 20, pulseWidthUs: 400, amplitudeUa: 62_500, rampUpMs: 8_000, ...o });
    expect(checkProgramOnBoard(al({}), CAPS)).toBeNull();
    expect(checkProgramOnBoard(al({ amplitudeUa: 62_501 }), CAPS)).toEqual({ code: 'chargePerPhase', field: 'amplitudeUa', value: 62_501, bound: 62_500 });
    expect(checkProgramOnBoard(al({ amplitudeUa: 80_000 }), CAPS)).toEqual({ code: 'chargePerPhase', field: 'amplitudeUa', value: 80_000, bound: 62_500 });
    // Live targets too: a raise to 70 mA on a 400 µs program.
    expect(checkAmplitudeOnBoard(al({}), 70_000, CAPS)).toEqual({ code: 'chargePerPhase', field: 'amplitudeUa', value: 70_000, bound: 62_500 });
    expect(chargeAmplitudeBoundUa(al({ pulseWidthUs: 300 }))).toBe(83_333);
  });

  test('finding: the r.m.s. ≤ 50 mA rule never binds inside the v1 mode table (highest duty 150 Hz × 700 µs ≈ 0.105)', () => {
    for (const mode of MODES) {
      const m = BOARD_MODE_TABLE[mode];
      const worst = conventional({
        mode,
        waveform: 'symmetric-biphasic',
        frequencyDeciHz: m.sweep ? m.maxFrequencyDeciHz - 1 : m.maxFrequencyDeciHz,
        pulseWidthUs: m.maxPulseWidthUs,
        burstPulses: m.burst ? m.burst.maxPulses : 0,
        sweepHighDeciHz: m.sweep ? m.maxFrequencyDeciHz : 0,
      });
      expect(rmsAmplitudeBoundUa(worst)).toBeGreaterThan(m.maxAmplitudeUa);
    }
    // So rmsCurrent is reachable only by the arithmetic itself: checked exactly below, and through a
    // check with a hypothetical 1 kHz rate (beyond every mode) it does refuse.
    const hypothetical = conventional({ frequencyDeciHz: 10_000, pulseWidthUs: 400 });
    expect(checkAmplitudeOnBoard(hypothetical, 60_000, { ...CAPS, maxAmplitudeUa: 80_000 })).toEqual({ code: 'rmsCurrent', field: 'amplitudeUa', value: 60_000, bound: rmsAmplitudeBoundUa(hypothetical) });
  });
});

const modeArb = fc.constantFrom<Mode>(...MODES);
/** Programs near and across every limit (wire-valid integers, as the decoder would deliver them). */
const programArb: fc.Arbitrary<Program> = fc.record({
  channel: fc.integer({ min: 0, max: 2 }),
  mode: modeArb,
  waveform: fc.constantFrom('symmetric-biphasic' as const, 'asymmetric-biphasic' as const),
  frequencyDeciHz: fc.oneof(fc.integer({ min: 0, max: 1600 }), fc.constantFrom(10, 50, 100, 300, 500, 800, 1500)),
  pulseWidthUs: fc.oneof(fc.integer({ min: 40, max: 420 }), fc.constantFrom(50, 100, 150, 250, 300, 350, 400)),
  amplitudeUa: fc.oneof(fc.integer({ min: 0, max: 85_000 }), fc.constantFrom(0, 50_000, 60_000, 80_000)),
  durationMs: fc.oneof(fc.integer({ min: 900, max: 50_000_000 }), fc.constantFrom(1000, 900_000, 3_600_000, 43_200_000)),
  rampUpMs: fc.integer({ min: 0, max: 310_000 }),
  rampDownMs: fc.integer({ min: 0, max: 310_000 }),
  burstPulses: fc.integer({ min: 0, max: 12 }),
  burstFrequencyDeciHz: fc.oneof(fc.constant(0), fc.integer({ min: 400, max: 1600 })),
  sweepHighDeciHz: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1600 })),
  sweepPeriodMs: fc.oneof(fc.constant(0), fc.integer({ min: 900, max: 31_000 })),
});

describe('board and host validators agree', () => {
  test('on any wire-valid program: the board refuses it exactly when validateProgram (with the board caps) does', () => {
    fc.assert(
      fc.property(programArb, (program) => {
        const board = checkProgramOnBoard(program, CAPS);
        const host = validateProgram(program, { caps: CAPS });
        expect(board === null).toBe(host.ok);
        if (board && !host.ok) expect(host.violations.map((v) => v.field)).toContain(board.field === 'channel' ? 'channel' : board.field);
      }),
      { numRuns: 20_000 },
    );
  });

  test('programs built to pass, with amplitudes at and around the ceiling, agree too', () => {
    const near = fc
      .record({ mode: modeArb, a: fc.double({ min: 0, max: 1, noNaN: true }), f: fc.double({ min: 0, max: 1, noNaN: true }), pw: fc.double({ min: 0, max: 1, noNaN: true }), bump: fc.integer({ min: -2, max: 2 }), atCeiling: fc.boolean() })
      .map(({ mode, a, f, pw, bump, atCeiling }) => {
        const m = BOARD_MODE_TABLE[mode];
        const span = m.maxFrequencyDeciHz - m.minFrequencyDeciHz;
        const frequencyDeciHz = Math.round(m.minFrequencyDeciHz + f * (m.sweep ? span - 100 : span));
        const p: Program = conventional({
          mode,
          frequencyDeciHz,
          pulseWidthUs: Math.round(m.minPulseWidthUs + pw * (m.maxPulseWidthUs - m.minPulseWidthUs)),
          durationMs: 60_000,
          rampUpMs: 9000,
          rampDownMs: 1000,
          burstPulses: m.burst ? 4 : 0,
          burstFrequencyDeciHz: m.burst ? 1000 : 0,
          sweepHighDeciHz: m.sweep ? frequencyDeciHz + 100 : 0,
          sweepPeriodMs: m.sweep ? 5000 : 0,
        });
        // Right at the mode/r.m.s. ceiling ± 2 µA, or anywhere below it.
        const ceiling = Math.min(m.maxAmplitudeUa, rmsAmplitudeBoundUa(p));
        return { ...p, amplitudeUa: atCeiling ? Math.max(0, ceiling + bump) : Math.round(a * ceiling) };
      });
    fc.assert(
      fc.property(near, (program) => {
        expect(checkProgramOnBoard(program, CAPS) === null).toBe(validateProgram(program, { caps: CAPS }).ok);
      }),
      { numRuns: 5_000 },
    );
  });

  test('the r.m.s. bound is exact: bound passes, bound + 1 fails, and it equals the protocol helper’s integer bound', () => {
    fc.assert(
      fc.property(programArb, (raw) => {
        const program = { ...raw, pulseWidthUs: Math.max(1, raw.pulseWidthUs), frequencyDeciHz: Math.max(1, raw.frequencyDeciHz), burstPulses: raw.mode === 'burst' ? Math.max(1, raw.burstPulses) : raw.burstPulses };
        const bound = rmsAmplitudeBoundUa(program);
        expect(bound).toBe(maxAmplitudeForRmsUa(program));
        // I²·(ratio·t)·f ≤ 50000²·10⁷·ratio, checked in BigInt: the bound passes and one more fails.
        const ratio = 4n;
        const k = (program.waveform === 'asymmetric-biphasic' ? BigInt(program.pulseWidthUs) * 5n : BigInt(program.pulseWidthUs) * 8n) *
          BigInt(program.mode === 'burst' ? program.frequencyDeciHz * program.burstPulses : program.mode === 'modulated' ? Math.max(program.frequencyDeciHz, program.sweepHighDeciHz) : program.frequencyDeciHz);
        const rhs = 50_000n ** 2n * 10_000_000n * ratio;
        expect(BigInt(bound) ** 2n * k <= rhs).toBe(true);
        expect(BigInt(bound + 1) ** 2n * k > rhs).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});
