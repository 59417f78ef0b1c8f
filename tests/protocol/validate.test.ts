/**
 * The program validator. Properties: every accepted program lies within every limit (checked here from
 * first principles, not with the validator's own helpers); pushing any field of any accepted program
 * past any bound gets it refused with that field and the binding limit named; caps only ever tighten.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2,
  MAX_CHARGE_PER_PHASE_NC,
  MAX_CURRENT_DENSITY_OVERRIDE_UA_PER_CM2,
  MAX_RAMP_MS,
  MAX_RMS_CURRENT_UA,
  MAX_SLEW_UA_PER_S,
  MIN_DURATION_MS,
  MODES,
  MODE_LIMITS,
  amplitudeCeiling,
  chargePerPhaseNc,
  currentDensityUaPerCm2,
  energyPerPulseMj,
  effectiveLimits,
  maxAmplitudeForChargeUa,
  maxAmplitudeForRmsUa,
  minRampUpMs,
  rmsCurrentUa,
  rmsWithinLimit,
  validateAmplitudeChange,
  validateProgram,
  type LimitSource,
  type Program,
  type ProgramField,
  type ValidationContext,
} from '../../firmware-protocol/src/index.ts';
import { programInMode, programWithContextArb, wireProgramArb } from './arbitraries.ts';

const base: Program = {
  channel: 0, mode: 'conventional', waveform: 'symmetric-biphasic', frequencyDeciHz: 1000, pulseWidthUs: 200,
  amplitudeUa: 20_000, durationMs: 600_000, rampUpMs: 2_000, rampDownMs: 1_000, burstPulses: 0,
  burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0,
};

// ---- independent statement of every limit (PROTOCOL.md § 13) -------------------------------------------

/** I² · q · r ≤ 10¹⁷ in exact integers, derived here from the IEC formula, not from rmsLimit.ts. */
function rmsOkExact(p: Program): boolean {
  const phaseQuarterUs = p.waveform === 'symmetric-biphasic' ? 2 * p.pulseWidthUs * 4 : p.pulseWidthUs * 5; // pw + pw/4
  const rateDeciHz = p.mode === 'burst' ? p.frequencyDeciHz * p.burstPulses : p.mode === 'modulated' ? Math.max(p.frequencyDeciHz, p.sweepHighDeciHz) : p.frequencyDeciHz;
  // I_rms² = I² · (q/4 µs) · (r/10 Hz) ≤ (50 000 µA)²  ⟺  I² · q · r ≤ 4·10⁷ · 2.5·10⁹
  return BigInt(p.amplitudeUa) ** 2n * BigInt(phaseQuarterUs) * BigInt(rateDeciHz) <= 4n * 10n ** 7n * 2_500_000_000n;
}

function violatedLimits(p: Program, ctx: ValidationContext): string[] {
  const bad: string[] = [];
  const t = MODE_LIMITS[p.mode];
  const caps = ctx.caps ?? {};
  const lab = ctx.labCap ?? {};
  const le = (name: string, value: number, max: number | undefined) => max !== undefined && value > max && bad.push(`${name} ${value} > ${max}`);
  const ge = (name: string, value: number, min: number | undefined) => min !== undefined && value < min && bad.push(`${name} ${value} < ${min}`);
  ge('frequency', p.frequencyDeciHz, t.frequencyDeciHz.min);
  le('frequency', p.frequencyDeciHz, t.frequencyDeciHz.max);
  ge('frequency (caps)', p.frequencyDeciHz, caps.minFrequencyDeciHz);
  le('frequency (caps)', p.frequencyDeciHz, caps.maxFrequencyDeciHz);
  le('frequency (lab)', p.frequencyDeciHz, lab.maxFrequencyDeciHz);
  ge('pulse width', p.pulseWidthUs, t.pulseWidthUs.min);
  le('pulse width', p.pulseWidthUs, t.pulseWidthUs.max);
  le('pulse width (caps)', p.pulseWidthUs, caps.maxPulseWidthUs);
  le('pulse width (lab)', p.pulseWidthUs, lab.maxPulseWidthUs);
  le('amplitude', p.amplitudeUa, t.maxAmplitudeUa);
  le('amplitude (caps)', p.amplitudeUa, caps.maxAmplitudeUa);
  le('amplitude (lab)', p.amplitudeUa, lab.maxAmplitudeUa);
  le('duration', p.durationMs, t.maxDurationMs);
  le('duration (lab)', p.durationMs, lab.maxDurationMs);
  ge('duration', p.durationMs, MIN_DURATION_MS);
  le('ramps inside duration', p.rampUpMs + p.rampDownMs, p.durationMs);
  le('ramp-up', p.rampUpMs, MAX_RAMP_MS);
  le('ramp-down', p.rampDownMs, MAX_RAMP_MS);
  if (caps.channelCount !== undefined) le('channel', p.channel, caps.channelCount - 1);
  // Slew: amplitude rises over rampUpMs no faster than the slowest slew limit.
  const slew = Math.min(MAX_SLEW_UA_PER_S, caps.maxSlewUaPerS ?? Infinity);
  if (p.amplitudeUa * 1000 > slew * p.rampUpMs) bad.push(`slew ${p.amplitudeUa} µA in ${p.rampUpMs} ms > ${slew} µA/s`);
  // Charge per phase: I · pw ≤ 25 µC, i.e. µA · µs ≤ 25·10⁶ pC (primary phase; the balancing phase is equal).
  if (p.amplitudeUa * p.pulseWidthUs > 25_000_000) bad.push(`charge per phase ${p.amplitudeUa * p.pulseWidthUs} pC > 25 µC`);
  if (!rmsOkExact(p)) bad.push('r.m.s. > 50 mA (exact)');
  if (rmsCurrentUa(p) > MAX_RMS_CURRENT_UA * (1 + 1e-12)) bad.push('r.m.s. > 50 mA (float)');
  if (ctx.electrodeAreaCm2 !== undefined) {
    const limit = lab.maxCurrentDensityUaPerCm2 !== undefined ? Math.min(lab.maxCurrentDensityUaPerCm2, MAX_CURRENT_DENSITY_OVERRIDE_UA_PER_CM2) : DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2;
    if (currentDensityUaPerCm2(p, ctx.electrodeAreaCm2) > limit * (1 + 1e-9)) bad.push('current density');
  }
  if (p.mode === 'burst') {
    const b = t.burst!;
    ge('burst pulses', p.burstPulses, b.pulses.min);
    le('burst pulses', p.burstPulses, b.pulses.max);
    ge('burst rate', p.burstFrequencyDeciHz, b.frequencyDeciHz.min);
    le('burst rate', p.burstFrequencyDeciHz, b.frequencyDeciHz.max);
    le('burst rate (caps)', p.burstFrequencyDeciHz, caps.maxFrequencyDeciHz);
    le('burst rate (lab)', p.burstFrequencyDeciHz, lab.maxFrequencyDeciHz);
    // Train length = pulses / intra-burst rate ≤ 100 ms.
    if (p.burstPulses * 10_000 > b.maxTrainMs * p.burstFrequencyDeciHz) bad.push('burst train > 100 ms');
  } else {
    le('burstPulses unused', p.burstPulses, 0);
    le('burstFrequencyDeciHz unused', p.burstFrequencyDeciHz, 0);
  }
  if (p.mode === 'modulated') {
    if (p.sweepHighDeciHz <= p.frequencyDeciHz) bad.push('sweep high ≤ low');
    le('sweep high', p.sweepHighDeciHz, t.frequencyDeciHz.max);
    le('sweep high (caps)', p.sweepHighDeciHz, caps.maxFrequencyDeciHz);
    le('sweep high (lab)', p.sweepHighDeciHz, lab.maxFrequencyDeciHz);
    ge('sweep period', p.sweepPeriodMs, t.sweep!.periodMs.min);
    le('sweep period', p.sweepPeriodMs, t.sweep!.periodMs.max);
  } else {
    le('sweepHighDeciHz unused', p.sweepHighDeciHz, 0);
    le('sweepPeriodMs unused', p.sweepPeriodMs, 0);
  }
  if (!['symmetric-biphasic', 'asymmetric-biphasic'].includes(p.waveform)) bad.push('not charge-balanced');
  return bad;
}

/** Push a few fields of a valid program around its bounds (so acceptance is tested near every edge). */
const nearbyArb = programWithContextArb.chain(({ program, context }) =>
  fc
    .array(
      fc.record({
        field: fc.constantFrom<ProgramField>('channel', 'frequencyDeciHz', 'pulseWidthUs', 'amplitudeUa', 'durationMs', 'rampUpMs', 'rampDownMs', 'burstPulses', 'burstFrequencyDeciHz', 'sweepHighDeciHz', 'sweepPeriodMs'),
        delta: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -5_000, max: 5_000 })),
      }),
      { maxLength: 3 },
    )
    .map((edits) => {
      const p = { ...program } as Record<string, unknown>;
      for (const e of edits) p[e.field] = Math.max(0, (p[e.field] as number) + e.delta);
      return { program: p as unknown as Program, context };
    }),
);

describe('accepted programs lie within every limit', () => {
  test('generated valid programs (every mode, with and without caps, lab cap, area) are accepted', () => {
    fc.assert(
      fc.property(programWithContextArb, ({ program, context }) => {
        expect(validateProgram(program, context)).toEqual({ ok: true });
      }),
      { numRuns: 500 },
    );
  });
  test('anything the validator accepts near the edges satisfies every limit, checked independently', () => {
    let accepted = 0;
    fc.assert(
      fc.property(nearbyArb, ({ program, context }) => {
        if (!validateProgram(program, context).ok) return;
        accepted++;
        expect(violatedLimits(program, context)).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });
  test('anything the validator accepts from arbitrary wire values satisfies every limit', () => {
    fc.assert(
      fc.property(wireProgramArb, (program) => {
        if (validateProgram(program).ok) expect(violatedLimits(program, {})).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });
  test('and everything refused by the independent check is refused by the validator', () => {
    fc.assert(
      fc.property(nearbyArb, ({ program, context }) => {
        if (violatedLimits(program, context).length > 0) expect(validateProgram(program, context).ok).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
});

// ---- mutation past each bound ----------------------------------------------------------------------------

interface Mutation {
  field: ProgramField;
  direction: 'below' | 'above' | 'unused';
  value: number | string;
  source: LimitSource;
}

/** Every way to push `p` just past one of its bounds, with the limit that must be named. */
function mutations(p: Program, ctx: ValidationContext): Mutation[] {
  const lim = effectiveLimits(p.mode, ctx);
  const out: Mutation[] = [];
  const add = (field: ProgramField, direction: Mutation['direction'], value: number | string, source: LimitSource) => out.push({ field, direction, value, source });
  add('channel', 'above', lim.channelMax.value + 1, lim.channelMax.source);
  add('channel', 'below', -1, 'protocol');
  add('mode', 'above', 'tens', 'protocol');
  add('waveform', 'above', 'monophasic', 'protocol');
  add('frequencyDeciHz', 'below', lim.frequencyDeciHz.min.value - 1, lim.frequencyDeciHz.min.source);
  add('frequencyDeciHz', 'above', lim.frequencyDeciHz.max.value + 1, lim.frequencyDeciHz.max.source);
  add('pulseWidthUs', 'below', lim.pulseWidthUs.min.value - 1, lim.pulseWidthUs.min.source);
  add('pulseWidthUs', 'above', lim.pulseWidthUs.max.value + 1, lim.pulseWidthUs.max.source);
  const ceiling = amplitudeCeiling(p, ctx);
  add('amplitudeUa', 'above', ceiling.value + 1, ceiling.source);
  add('amplitudeUa', 'below', -1, 'protocol');
  add('amplitudeUa', 'above', 1.5, 'protocol');
  add('durationMs', 'below', MIN_DURATION_MS - 1, 'protocol');
  add('durationMs', 'above', lim.durationMs.max.value + 1, lim.durationMs.max.source);
  // Shorter than its own ramps (an 'order' violation, or below the 1 s minimum: both protocol rules).
  add('durationMs', 'below', p.rampUpMs + p.rampDownMs - 1, 'protocol');
  const rampMin = minRampUpMs(p.amplitudeUa, lim.slewUaPerS.value);
  add('rampUpMs', 'below', rampMin > 0 ? rampMin - 1 : -1, rampMin > 0 ? lim.slewUaPerS.source : 'protocol');
  add('rampUpMs', 'above', MAX_RAMP_MS + 1, 'protocol');
  add('rampDownMs', 'below', -1, 'protocol');
  add('rampDownMs', 'above', MAX_RAMP_MS + 1, 'protocol');
  if (p.mode === 'burst') {
    const bp = lim.burstPulses!;
    const trainMax = Math.floor((lim.burstMaxTrainMs!.value * p.burstFrequencyDeciHz) / 10_000);
    add('burstPulses', 'below', bp.min.value - 1, bp.min.source);
    add('burstPulses', 'above', Math.min(bp.max.value, trainMax) + 1, 'mode-table');
    add('burstFrequencyDeciHz', 'below', lim.burstFrequencyDeciHz!.min.value - 1, lim.burstFrequencyDeciHz!.min.source);
    add('burstFrequencyDeciHz', 'above', lim.burstFrequencyDeciHz!.max.value + 1, lim.burstFrequencyDeciHz!.max.source);
  } else {
    add('burstPulses', 'unused', 1, 'protocol');
    add('burstFrequencyDeciHz', 'unused', 1, 'protocol');
  }
  if (p.mode === 'modulated') {
    add('sweepHighDeciHz', 'below', p.frequencyDeciHz, 'protocol');
    add('sweepHighDeciHz', 'above', lim.frequencyDeciHz.max.value + 1, lim.frequencyDeciHz.max.source);
    add('sweepPeriodMs', 'below', lim.sweepPeriodMs!.min.value - 1, lim.sweepPeriodMs!.min.source);
    add('sweepPeriodMs', 'above', lim.sweepPeriodMs!.max.value + 1, lim.sweepPeriodMs!.max.source);
  } else {
    add('sweepHighDeciHz', 'unused', 1, 'protocol');
    add('sweepPeriodMs', 'unused', 1, 'protocol');
  }
  return out;
}

const contextKinds: { name: string; arb: fc.Arbitrary<ValidationContext> }[] = [
  { name: 'no context', arb: fc.constant({}) },
  { name: 'board caps', arb: fc.constant({ caps: { channelCount: 2, maxAmplitudeUa: 45_000, maxPulseWidthUs: 280, minFrequencyDeciHz: 15, maxFrequencyDeciHz: 1_200, maxSlewUaPerS: 4_000 } }) },
  { name: 'lab cap', arb: fc.constant({ labCap: { maxAmplitudeUa: 30_000, maxFrequencyDeciHz: 1_300, maxPulseWidthUs: 260, maxDurationMs: 20 * 60_000 } }) },
  { name: 'electrode area 4 cm²', arb: fc.constant({ electrodeAreaCm2: 4 }) },
  { name: 'area 25 cm² with a lab density override', arb: fc.constant({ electrodeAreaCm2: 25, labCap: { maxCurrentDensityUaPerCm2: 3_000 } }) },
];

describe('mutating an accepted program past any bound is refused, naming the field and the limit', () => {
  for (const mode of MODES) {
    for (const kind of contextKinds) {
      test(`${mode}, ${kind.name}`, () => {
        const arb = kind.arb.chain((context) => programInMode(mode, context).map((program) => ({ program, context })));
        let checked = 0;
        fc.assert(
          fc.property(arb, ({ program, context }) => {
            if (program === null) return;
            expect(validateProgram(program, context)).toEqual({ ok: true });
            for (const m of mutations(program, context)) {
              const mutated = { ...program, [m.field]: m.value } as Program;
              const r = validateProgram(mutated, context);
              expect(r.ok, `${m.field} ${m.direction} → ${m.value} must be refused`).toBe(false);
              if (r.ok) continue;
              const named = r.violations.filter((v) => v.field === m.field).map((v) => v.source);
              expect(named, `${m.field} ${m.direction} → ${m.value}: ${JSON.stringify(r.violations)}`).toContain(m.source);
              checked++;
            }
          }),
          { numRuns: 40 },
        );
        expect(checked).toBeGreaterThan(100);
      });
    }
  }
  test('a refusal names field, value, bound, source and a message saying expected vs got', () => {
    const r = validateProgram({ ...base, frequencyDeciHz: 1600 });
    expect(r).toEqual({
      ok: false,
      violations: [
        { field: 'frequencyDeciHz', value: 1600, bound: 1500, kind: 'max', source: 'mode-table', message: expect.stringContaining('1600') as string },
      ],
    });
    if (!r.ok) expect(r.violations[0]!.message).toContain('1500');
  });
  test('every violation is reported, not just the first', () => {
    const r = validateProgram({ ...base, frequencyDeciHz: 10, pulseWidthUs: 20, amplitudeUa: 70_000, burstPulses: 3 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.violations.map((v) => v.field).sort()).toEqual(['amplitudeUa', 'burstPulses', 'frequencyDeciHz', 'pulseWidthUs', 'rampUpMs']);
  });
  test('non-objects and non-integers are refused without throwing', () => {
    expect(validateProgram(null as unknown as Program).ok).toBe(false);
    expect(validateProgram({ ...base, amplitudeUa: Number.NaN }).ok).toBe(false);
    expect(validateProgram({ ...base, durationMs: Infinity }).ok).toBe(false);
    expect(validateProgram({ ...base, pulseWidthUs: '200' as unknown as number }).ok).toBe(false);
  });
});

// ---- caps only tighten -----------------------------------------------------------------------------------

const wild = fc.oneof(fc.integer({ min: -1_000_000, max: 10_000_000 }), fc.constantFrom(Number.NaN, Infinity, -Infinity, 0), fc.double());
const wildContext: fc.Arbitrary<ValidationContext> = fc.record(
  {
    caps: fc.record({ channelCount: wild, maxAmplitudeUa: wild, maxPulseWidthUs: wild, minFrequencyDeciHz: wild, maxFrequencyDeciHz: wild, maxSlewUaPerS: wild, complianceMv: wild }, { requiredKeys: [] }),
    labCap: fc.record({ maxAmplitudeUa: wild, maxFrequencyDeciHz: wild, maxPulseWidthUs: wild, maxDurationMs: wild, maxCurrentDensityUaPerCm2: wild }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

describe('board caps and lab caps never raise a limit above the mode table', () => {
  test('effective limits stay inside the mode table for any caps, however wild', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODES), wildContext, (mode, ctx) => {
        const t = MODE_LIMITS[mode];
        const lim = effectiveLimits(mode, ctx);
        expect(lim.frequencyDeciHz.max.value).toBeLessThanOrEqual(t.frequencyDeciHz.max);
        expect(lim.frequencyDeciHz.min.value).toBeGreaterThanOrEqual(t.frequencyDeciHz.min);
        expect(lim.pulseWidthUs.max.value).toBeLessThanOrEqual(t.pulseWidthUs.max);
        expect(lim.pulseWidthUs.min.value).toBeGreaterThanOrEqual(t.pulseWidthUs.min);
        expect(lim.amplitudeUa.max.value).toBeLessThanOrEqual(t.maxAmplitudeUa);
        expect(lim.durationMs.max.value).toBeLessThanOrEqual(t.maxDurationMs);
        expect(lim.slewUaPerS.value).toBeLessThanOrEqual(MAX_SLEW_UA_PER_S);
        expect(lim.channelMax.value).toBeLessThanOrEqual(0xfe);
        if (t.burst) expect(lim.burstFrequencyDeciHz!.max.value).toBeLessThanOrEqual(t.burst.frequencyDeciHz.max);
      }),
      { numRuns: 1_000 },
    );
  });
  test('a program accepted under any caps is also accepted with none (caps only remove programs)', () => {
    fc.assert(
      fc.property(programWithContextArb, ({ program }) => {
        expect(validateProgram(program)).toEqual({ ok: true });
      }),
      { numRuns: 500 },
    );
  });
  test('a program refused with no caps stays refused under any caps, however wild', () => {
    fc.assert(
      fc.property(wireProgramArb, wildContext, (program, ctx) => {
        if (!validateProgram(program).ok) expect(validateProgram(program, ctx).ok).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
  test('the amplitude ceiling under any caps never exceeds the ceiling with none', () => {
    fc.assert(
      fc.property(programWithContextArb, wildContext, ({ program }, ctx) => {
        expect(amplitudeCeiling(program, ctx).value).toBeLessThanOrEqual(amplitudeCeiling(program).value);
      }),
      { numRuns: 500 },
    );
  });
  test('a board slew cap of 0 or below allows no rise at all (it cannot disable the slew limit)', () => {
    for (const maxSlewUaPerS of [0, -1, -10_000]) {
      const r = validateProgram(base, { caps: { maxSlewUaPerS } });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.violations).toContainEqual(expect.objectContaining({ field: 'rampUpMs', source: 'board-caps' }));
    }
    expect(validateProgram({ ...base, amplitudeUa: 0, rampUpMs: 0 }, { caps: { maxSlewUaPerS: 0 } })).toEqual({ ok: true });
  });
  test('a lab density override is capped at 10 mA/cm² and named as the lab cap', () => {
    const p: Program = { ...base, mode: 'brief-intense', frequencyDeciHz: 1500, pulseWidthUs: 300, amplitudeUa: 80_000, rampUpMs: 8_000 };
    // 80 mA at 150 Hz, 2·300 µs: I_rms = 80 · sqrt(600e-6 · 150) = 24 mA; over 2 cm² that is 12 mA/cm².
    const r = validateProgram(p, { electrodeAreaCm2: 2, labCap: { maxCurrentDensityUaPerCm2: 50_000 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.violations).toEqual([expect.objectContaining({ field: 'amplitudeUa', source: 'lab-cap', bound: 66_666 })]);
  });
});

// ---- the r.m.s. and density arithmetic -------------------------------------------------------------------

describe('r.m.s. current and current density', () => {
  test('maxAmplitudeForRmsUa is the exact integer line: a²·q·r ≤ 10¹⁷ < (a+1)²·q·r', () => {
    fc.assert(
      fc.property(wireProgramArb, (p) => {
        const a = maxAmplitudeForRmsUa(p);
        if (!Number.isFinite(a)) return rmsOkExact({ ...p, amplitudeUa: 0xffffffff });
        return rmsOkExact({ ...p, amplitudeUa: a }) && !rmsOkExact({ ...p, amplitudeUa: a + 1 }) && rmsWithinLimit(p, a) && !rmsWithinLimit(p, a + 1);
      }),
      { numRuns: 2_000 },
    );
  });
  test('worked value: 150 Hz, 250 µs symmetric → at most 182 574 µA peak for 50 mA r.m.s.', () => {
    // I = 50 mA / sqrt(2 · 250e-6 s · 150 Hz) = 50 / sqrt(0.075) = 182.574 mA.
    expect(maxAmplitudeForRmsUa({ ...base, frequencyDeciHz: 1500, pulseWidthUs: 250 })).toBe(182_574);
  });
  test("asymmetric waveform: equivalent phase time pw·(1 + 1/4), so a higher peak is allowed", () => {
    // 50 / sqrt(1.25 · 250e-6 · 150) = 50 / sqrt(0.046875) = 230.940 mA.
    expect(maxAmplitudeForRmsUa({ ...base, waveform: 'asymmetric-biphasic', frequencyDeciHz: 1500, pulseWidthUs: 250 })).toBe(230_940);
  });
  test('burst mode uses the mean pulse rate (burst rate × pulses per burst)', () => {
    const p: Program = { ...base, mode: 'burst', frequencyDeciHz: 50, burstPulses: 10, burstFrequencyDeciHz: 1000, pulseWidthUs: 300 };
    // 5 Hz × 10 = 50 Hz; 50 / sqrt(600e-6 · 50) = 288.675 mA.
    expect(maxAmplitudeForRmsUa(p)).toBe(288_675);
  });
  test('modulated mode uses the higher sweep end (worst case)', () => {
    const p: Program = { ...base, mode: 'modulated', frequencyDeciHz: 20, sweepHighDeciHz: 1500, sweepPeriodMs: 5000, pulseWidthUs: 250 };
    expect(maxAmplitudeForRmsUa(p)).toBe(182_574);
  });
  test('an out-of-table amplitude also breaking 25 µC per phase and 50 mA r.m.s. is refused by all three limits', () => {
    const r = validateProgram({ ...base, frequencyDeciHz: 1500, pulseWidthUs: 250, amplitudeUa: 200_000, rampUpMs: 20_000 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.violations.filter((v) => v.field === 'amplitudeUa').map((v) => [v.source, v.bound])).toEqual([
        ['mode-table', 60_000],
        ['charge-per-phase', 100_000],
        ['rms-current', 182_574],
      ]);
    }
  });
  test('current density 2 mA/cm² (IEC warning level) binds with a small electrode', () => {
    const p: Program = { ...base, mode: 'brief-intense', frequencyDeciHz: 1500, pulseWidthUs: 300, amplitudeUa: 34_000, rampUpMs: 4_000 };
    // 5 cm² × 2 mA/cm² = 10 mA r.m.s.; / sqrt(600e-6 · 150) = 33.333 mA.
    expect(amplitudeCeiling(p, { electrodeAreaCm2: 5 })).toEqual(expect.objectContaining({ value: 33_333, source: 'current-density' }));
    const r = validateProgram(p, { electrodeAreaCm2: 5 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.violations).toEqual([expect.objectContaining({ field: 'amplitudeUa', source: 'current-density', bound: 33_333 })]);
    expect(validateProgram({ ...p, amplitudeUa: 33_333 }, { electrodeAreaCm2: 5 })).toEqual({ ok: true });
  });
  test('a non-positive or non-finite electrode area is refused, not ignored', () => {
    for (const electrodeAreaCm2 of [0, -4, Number.NaN, Infinity]) expect(validateProgram(base, { electrodeAreaCm2 }).ok).toBe(false);
  });
  test('amplitudeCeiling and validateProgram agree at the line, in every mode and context', () => {
    fc.assert(
      fc.property(programWithContextArb, ({ program, context }) => {
        const c = amplitudeCeiling(program, context).value;
        const lim = effectiveLimits(program.mode, context);
        const at = (amplitudeUa: number) => ({ ...program, amplitudeUa, rampUpMs: Math.min(MAX_RAMP_MS, minRampUpMs(amplitudeUa, lim.slewUaPerS.value)), durationMs: lim.durationMs.max.value, rampDownMs: 0 });
        // The ceiling bounds the amplitude only; with a slow board slew and a short lab duration cap the
        // ramp to it may not fit the session at all (then the ramp is what refuses, which is right).
        fc.pre(minRampUpMs(c, lim.slewUaPerS.value) <= Math.min(MAX_RAMP_MS, lim.durationMs.max.value));
        expect(validateProgram(at(c), context)).toEqual({ ok: true });
        const above = validateProgram(at(c + 1), context);
        expect(above.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('slew rate', () => {
  test('ramp-up must be at least amplitude / 10 mA/s; a board may only slow it', () => {
    expect(validateProgram({ ...base, amplitudeUa: 20_000, rampUpMs: 2_000 })).toEqual({ ok: true });
    const fast = validateProgram({ ...base, amplitudeUa: 20_000, rampUpMs: 1_999 });
    expect(fast.ok).toBe(false);
    if (!fast.ok) expect(fast.violations).toEqual([expect.objectContaining({ field: 'rampUpMs', bound: 2_000, source: 'slew-rate' })]);
    const slowBoard = validateProgram({ ...base, amplitudeUa: 20_000, rampUpMs: 2_000 }, { caps: { maxSlewUaPerS: 5_000 } });
    expect(slowBoard.ok).toBe(false);
    if (!slowBoard.ok) expect(slowBoard.violations).toEqual([expect.objectContaining({ field: 'rampUpMs', bound: 4_000, source: 'board-caps' })]);
    expect(validateProgram({ ...base, rampUpMs: 2_000 }, { caps: { maxSlewUaPerS: 50_000 } })).toEqual({ ok: true });
    expect(validateProgram({ ...base, rampUpMs: 1_999 }, { caps: { maxSlewUaPerS: 50_000 } }).ok).toBe(false);
  });
});

// ---- charge per phase ------------------------------------------------------------------------------------

describe('charge per phase ≤ 25 µC', () => {
  const al: Program = { ...base, mode: 'acupuncture-like', frequencyDeciHz: 20, pulseWidthUs: 400, amplitudeUa: 60_000, rampUpMs: 8_000 };
  test('the cap is 25 µC', () => {
    expect(MAX_CHARGE_PER_PHASE_NC).toBe(25_000);
  });
  test('the mode table alone would allow 32 µC (80 mA × 400 µs); the cap refuses it naming charge per phase and the highest amplitude at 400 µs', () => {
    const p: Program = { ...al, amplitudeUa: 80_000 };
    expect(chargePerPhaseNc(p)).toBe(32_000);
    const r = validateProgram(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.violations).toEqual([expect.objectContaining({ field: 'amplitudeUa', source: 'charge-per-phase', kind: 'max', bound: 62_500, value: 80_000 })]);
    if (!r.ok) expect(r.violations[0]!.message).toContain('25 µC');
  });
  test('62 500 µA at 400 µs is exactly 25 µC and passes; one µA more is refused', () => {
    expect(validateProgram({ ...al, amplitudeUa: 62_500 })).toEqual({ ok: true });
    expect(validateProgram({ ...al, amplitudeUa: 62_501 }).ok).toBe(false);
  });
  test('the amplitude ceiling names charge per phase where it binds', () => {
    expect(amplitudeCeiling(al)).toEqual(expect.objectContaining({ value: 62_500, source: 'charge-per-phase' }));
    // At 250 µs the mode table (80 mA) binds: 80 mA × 250 µs = 20 µC.
    expect(amplitudeCeiling({ ...al, pulseWidthUs: 250 })).toEqual(expect.objectContaining({ value: 80_000, source: 'mode-table' }));
  });
  test('maxAmplitudeForChargeUa is the exact integer line: a · pw ≤ 25·10⁶ < (a+1) · pw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xffff }), (pulseWidthUs) => {
        const a = maxAmplitudeForChargeUa({ ...base, pulseWidthUs });
        return a * pulseWidthUs <= 25_000_000 && (a + 1) * pulseWidthUs > 25_000_000;
      }),
    );
  });
  test('a live amplitude change past the cap is refused like a program', () => {
    const r = validateAmplitudeChange(al, 63_000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.violations).toEqual([expect.objectContaining({ field: 'amplitudeUa', source: 'charge-per-phase', bound: 62_500 })]);
  });
  test('energy per pulse into 500 Ω counts both phases: 62.5 mA, 400 µs symmetric → 1.5625 mJ; asymmetric → 0.9766 mJ', () => {
    // I² · R · t: 0.0625² · 500 · 800e-6 s = 1.5625 mJ; asymmetric t = 400 µs · 1.25 = 500 µs.
    expect(energyPerPulseMj({ ...al, amplitudeUa: 62_500 })).toBeCloseTo(1.5625, 10);
    expect(energyPerPulseMj({ ...al, amplitudeUa: 62_500, waveform: 'asymmetric-biphasic' })).toBeCloseTo(0.9765625, 10);
  });
});
