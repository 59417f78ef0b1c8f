/**
 * Templates and percutaneous leads: a preset with placeholders left is refused naming them, and a
 * percutaneous-lead preset needs a board that declares a percutaneous output (no protocol v1 board can).
 * The refusal comes from planFromPreset, before any plan exists, so nothing is sent or recorded.
 */
import { describe, expect, test } from 'vitest';
import { BUILTIN_PRESETS } from '../../src/lib/presets/builtinPresets.ts';
import { BUILTIN_PROGRAMMES } from '../../src/lib/presets/builtinProgrammes.ts';
import { PresetNotRunnableError } from '../../src/lib/presets/errors.ts';
import { presetFileOf } from '../../src/lib/presets/exportPresetFile.ts';
import { parsePresetFile } from '../../src/lib/presets/parsePresetFile.ts';
import { V1_BOARD_OUTPUTS, assertPresetRunnable } from '../../src/lib/presets/runnable.ts';
import type { Preset } from '../../src/lib/presets/types.ts';
import { planFromPreset } from '../../src/lib/session/planFromPreset.ts';

const pns = BUILTIN_PRESETS.find((p) => p.id === 'pns-template-60min')!;
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a refusal');
};

describe('a template is not runnable until every placeholder is replaced', () => {
  test('the built-in PNS template is refused (PLACEHOLDERS_LEFT), naming every placeholder in words', () => {
    const e = refusal(() => planFromPreset(pns, { channel: 0 })) as PresetNotRunnableError;
    expect(e).toBeInstanceOf(PresetNotRunnableError);
    expect(e.code).toBe('PLACEHOLDERS_LEFT');
    expect(e.fields).toEqual(['mode', 'waveform', 'frequencyDeciHz', 'pulseWidthUs', 'amplitudeUa', 'durationMs', 'startAmplitudeUa']);
    expect(e.message).toMatch(/frequency \(Hz\), pulse width \(µs\), amplitude ceiling \(mA\), duration \(min\), start amplitude \(mA\)/);
  });

  test('a user preset with one placeholder left is still refused, naming just that one', () => {
    const mine: Preset = { ...pns, id: 'my-pns', electrodes: 'surface', placeholders: ['pulseWidthUs'] };
    const e = refusal(() => planFromPreset(mine, { channel: 0 })) as PresetNotRunnableError;
    expect(e.code).toBe('PLACEHOLDERS_LEFT');
    expect(e.fields).toEqual(['pulseWidthUs']);
  });

  test('every surface built-in preset is runnable; the only non-runnable one is the template', () => {
    const refused = BUILTIN_PRESETS.filter((p) => {
      try {
        assertPresetRunnable(p);
        return false;
      } catch {
        return true;
      }
    });
    expect(refused.map((p) => p.id)).toEqual(['pns-template-60min']);
  });

  test('the template survives export and import with its placeholders and lead type (the import schema knows them)', () => {
    const file = parsePresetFile(JSON.parse(JSON.stringify(presetFileOf([pns], []))));
    expect(file.presets[0]).toMatchObject({ placeholders: pns.placeholders, electrodes: 'percutaneous' });
    expect(() => parsePresetFile(JSON.parse(JSON.stringify(presetFileOf(BUILTIN_PRESETS, BUILTIN_PROGRAMMES))))).not.toThrow();
  });
});

describe('a percutaneous-lead preset needs a board that declares a percutaneous output', () => {
  const filledIn: Preset = { ...pns, id: 'my-pns', placeholders: [] };

  test('placeholders replaced, on a protocol v1 board (surface outputs only): refused NEEDS_PERCUTANEOUS_OUTPUT', () => {
    expect(V1_BOARD_OUTPUTS.percutaneous).toBe(false);
    const e = refusal(() => planFromPreset(filledIn, { channel: 0 })) as PresetNotRunnableError;
    expect(e).toBeInstanceOf(PresetNotRunnableError);
    expect(e.code).toBe('NEEDS_PERCUTANEOUS_OUTPUT');
    expect(e.message).toMatch(/does not declare a percutaneous output/);
    expect(() => planFromPreset(filledIn, { channel: 0, boardOutputs: V1_BOARD_OUTPUTS })).toThrow(PresetNotRunnableError);
  });

  test('placeholders replaced, on a board that declares a percutaneous output: it plans', () => {
    const plan = planFromPreset(filledIn, { channel: 1, boardOutputs: { percutaneous: true } });
    expect(plan.presetId).toBe('my-pns');
    expect(plan.program.channel).toBe(1);
  });

  test('placeholders are refused first, whatever the board declares', () => {
    const e = refusal(() => planFromPreset(pns, { channel: 0, boardOutputs: { percutaneous: true } })) as PresetNotRunnableError;
    expect(e.code).toBe('PLACEHOLDERS_LEFT');
  });
});
