import { describe, expect, test } from 'vitest';
import { validateProgram } from '../../firmware-protocol/src/index.ts';
import { BUILTIN_PRESETS } from '../../src/lib/presets/builtinPresets.ts';
import { planFromPreset } from '../../src/lib/session/planFromPreset.ts';

const conventional = BUILTIN_PRESETS.find((p) => p.id === 'conventional-tens')!;

describe('planFromPreset', () => {
  test('titration by default: from the start suggestion up to the ceiling, never past it', () => {
    const plan = planFromPreset(conventional, { channel: 1 });
    expect(plan.program.channel).toBe(1);
    expect(plan.program.amplitudeUa).toBe(conventional.program.amplitudeUa);
    expect(plan.titration).toEqual({ startUa: conventional.startAmplitudeUa, stepUa: 1000, maxUa: conventional.program.amplitudeUa });
    expect(plan.presetId).toBe('conventional-tens');
    expect(validateProgram(plan.program)).toEqual({ ok: true });
  });

  test('night intensity scales ceiling and start', () => {
    const plan = planFromPreset(conventional, { channel: 0, intensityPermille: 700 });
    expect(plan.titration).toMatchObject({ maxUa: 28_000, startUa: 3_500 });
    expect(() => planFromPreset(conventional, { channel: 0, intensityPermille: 1200 })).toThrow(RangeError);
  });

  test('the ceiling is capped by the lab and board limits in force, and the ramp lengthened for a slow board', () => {
    const plan = planFromPreset(conventional, { channel: 0, context: { labCap: { maxAmplitudeUa: 15_000 }, caps: { maxSlewUaPerS: 1_000 } } });
    expect(plan.titration!.maxUa).toBe(15_000);
    expect(plan.program.rampUpMs).toBe(15_000); // 15 mA at 1 mA/s
    expect(validateProgram(plan.program, { labCap: { maxAmplitudeUa: 15_000 }, caps: { maxSlewUaPerS: 1_000 } })).toEqual({ ok: true });
  });

  test('without titration the target must be under the ceiling', () => {
    expect(planFromPreset(conventional, { channel: 0, titrate: false, amplitudeUa: 12_000 }).program.amplitudeUa).toBe(12_000);
    expect(() => planFromPreset(conventional, { channel: 0, titrate: false, amplitudeUa: 40_001 })).toThrow(/ceiling/);
    expect(() => planFromPreset(conventional, { channel: 0, titrate: false })).toThrow(/ceiling/);
  });
});
