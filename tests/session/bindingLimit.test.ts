/**
 * The binding-limit names: the preset's own ceiling and length are "preset", not "mode table"; a board
 * cap, lab cap, density limit or raised density override that is tighter is named as itself.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2, amplitudeCeiling, type Program, type ValidationContext } from '../../firmware-protocol/src/index.ts';
import { BUILTIN_PRESETS } from '../../src/lib/presets/builtinPresets.ts';
import { nameAmplitudeCeiling, presetAmplitudeLimit, presetDurationLimit, recordedAmplitudeBinding, tightestBound } from '../../src/lib/session/bindingLimit.ts';

const conventional = BUILTIN_PRESETS.find((p) => p.id === 'conventional-tens')!;
const program: Program = { ...conventional.program, channel: 0 };

describe('presetAmplitudeLimit', () => {
  test('a roomy board and large pads: the preset ceiling binds and is called "preset"', () => {
    const bound = presetAmplitudeLimit(program, { electrodeAreaCm2: 150 });
    expect(bound).toMatchObject({ value: program.amplitudeUa, source: 'preset' });
  });
  test('a board cap below the preset binds and is named "board-caps"', () => {
    const bound = presetAmplitudeLimit(program, { caps: { maxAmplitudeUa: 5_000 }, electrodeAreaCm2: 150 });
    expect(bound).toMatchObject({ value: 5_000, source: 'board-caps' });
  });
  test('a lab cap below the preset binds and is named "lab-cap"', () => {
    const bound = presetAmplitudeLimit(program, { labCap: { maxAmplitudeUa: 4_000 }, electrodeAreaCm2: 150 });
    expect(bound).toMatchObject({ value: 4_000, source: 'lab-cap' });
  });
  test('small pads: the current-density limit binds', () => {
    const bound = presetAmplitudeLimit(program, { electrodeAreaCm2: 1 });
    expect(bound.source).toBe('current-density');
    expect(bound.value).toBeLessThan(program.amplitudeUa);
  });
  test('a raised density override that binds is named as the override, not as a lab cap', () => {
    const context: ValidationContext = { electrodeAreaCm2: 1, labCap: { maxCurrentDensityUaPerCm2: 3_000 } };
    expect(amplitudeCeiling(program, context).source).toBe('lab-cap');
    const bound = presetAmplitudeLimit(program, context);
    expect(bound.source).toBe('density-override');
    expect(bound.reason).toMatch(/3\.0 mA\/cm² \(raised for this session\) at 1 cm²/);
  });
  test('a lab cap that lowers density stays a lab cap', () => {
    const context: ValidationContext = { electrodeAreaCm2: 1, labCap: { maxCurrentDensityUaPerCm2: DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2 / 2 } };
    expect(presetAmplitudeLimit(program, context).source).toBe('lab-cap');
  });
  test('night intensity scales the preset ceiling and says so', () => {
    const bound = presetAmplitudeLimit(program, { electrodeAreaCm2: 150 }, 500);
    expect(bound).toMatchObject({ value: Math.floor(program.amplitudeUa / 2), source: 'preset' });
    expect(bound.reason).toMatch(/50 %/);
  });
});

describe('presetDurationLimit', () => {
  test('the preset length binds by default, named "preset"', () => {
    expect(presetDurationLimit(program, {})).toMatchObject({ value: program.durationMs, source: 'preset' });
  });
  test('a shorter lab cap binds and is named "lab-cap"', () => {
    expect(presetDurationLimit(program, { labCap: { maxDurationMs: 60_000 } })).toMatchObject({ value: 60_000, source: 'lab-cap' });
  });
});

describe('tightestBound and recorded limits', () => {
  test('the lowest wins; a tie goes to the first listed', () => {
    const a = { value: 5, source: 'preset' as const, reason: 'a' };
    const b = { value: 5, source: 'mode-table' as const, reason: 'b' };
    const c = { value: 4, source: 'board-caps' as const, reason: 'c' };
    expect(tightestBound([a, b])).toBe(a);
    expect(tightestBound([a, b, c])).toBe(c);
  });
  test('a record whose planned amplitude is below its ceiling names the preset (or the chosen target of a manual run)', () => {
    const ceiling = { value: 40_000, source: 'mode-table' as const, reason: 'mode table' };
    const base = { program: { ...program, amplitudeUa: 20_000 }, amplitudeCeiling: ceiling, labCap: null, electrodeAreaCm2: 25 };
    expect(recordedAmplitudeBinding({ ...base, presetId: 'conventional-tens' }).source).toBe('preset');
    expect(recordedAmplitudeBinding({ ...base, presetId: null }).source).toBe('chosen');
    expect(recordedAmplitudeBinding({ ...base, program: { ...program, amplitudeUa: 40_000 }, presetId: 'x' }).source).toBe('mode-table');
  });
  test('nameAmplitudeCeiling leaves bounds that are not a density override as they are', () => {
    const bound = { value: 7_000, source: 'lab-cap' as const, reason: 'lab cap' };
    expect(nameAmplitudeCeiling(bound, program, { labCap: { maxAmplitudeUa: 7_000 } })).toEqual(bound);
  });
});
