import { describe, expect, test } from 'vitest';
import { PresetImportError } from '../../src/lib/presets/errors.ts';
import { exportPresetFile } from '../../src/lib/presets/exportPresetFile.ts';
import { formatPath, parsePresetFile } from '../../src/lib/presets/parsePresetFile.ts';
import { userFile } from './fixtures.ts';

function refused(input: unknown, options: Parameters<typeof parsePresetFile>[1] = {}): PresetImportError {
  try {
    parsePresetFile(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(PresetImportError);
    return error as PresetImportError;
  }
  throw new Error('expected the file to be refused');
}

describe('parsePresetFile', () => {
  test('an exported file parses back to the same content', () => {
    const file = userFile();
    const text = exportPresetFile(file.presets, file.programmes);
    expect(parsePresetFile(JSON.parse(text))).toEqual(file);
  });

  test('formatPath writes array indexes in brackets', () => {
    expect(formatPath(['presets', 2, 'program', 'frequencyDeciHz'])).toBe('presets[2].program.frequencyDeciHz');
    expect(formatPath([])).toBe('');
  });

  test('a frequency above the mode table names presets[2].program.frequencyDeciHz, expected and got', () => {
    const file = userFile();
    file.presets[2]!.program.frequencyDeciHz = 9_999; // modulated: 1–150 Hz
    const error = refused(file);
    expect(error.code).toBe('PRESET_FILE_INVALID');
    expect(error.path).toBe('presets[2].program.frequencyDeciHz');
    expect(error.got).toBe('9999');
    expect(error.expected).toContain('1500');
    expect(error.message).toContain('presets[2].program.frequencyDeciHz');
  });

  test('a wrong type names its path (schema error)', () => {
    const file = userFile() as unknown as { presets: { program: Record<string, unknown> }[] };
    file.presets[1]!.program.pulseWidthUs = '200';
    const error = refused(file);
    expect(error.path).toBe('presets[1].program.pulseWidthUs');
    expect(error.got).toBe('"200"');
  });

  test('an unknown key (a typo) is refused, not dropped', () => {
    const file = userFile() as unknown as { presets: { program: Record<string, unknown> }[] };
    file.presets[0]!.program.frequencyHz = 100;
    expect(refused(file).path).toBe('presets[0].program.frequencyHz');
  });

  test('format and version are checked', () => {
    expect(refused({ ...userFile(), format: 'something-else' }).path).toBe('format');
    expect(refused({ ...userFile(), version: 2 }).path).toBe('version');
    expect(refused(null).path).toBe('');
  });

  test('a start amplitude above the ceiling is refused', () => {
    const file = userFile();
    file.presets[0]!.startAmplitudeUa = file.presets[0]!.program.amplitudeUa + 1;
    expect(refused(file).path).toBe('presets[0].startAmplitudeUa');
  });

  test('a from-source value without a citation is refused', () => {
    const file = userFile();
    file.presets[0]!.citations = [];
    expect(file.presets[0]!.provenance.frequencyDeciHz).toBe('from-source');
    expect(refused(file).path).toBe('presets[0].citations');
  });

  test('duplicate ids and built-in ids are refused', () => {
    const file = userFile();
    file.presets[1]!.id = file.presets[0]!.id;
    expect(refused(file).path).toBe('presets[1].id');
    expect(refused(userFile(), { reservedIds: new Set(['user-burst']) }).path).toBe('presets[1].id');
    expect(refused(userFile(), { reservedIds: new Set(['user-weekly']) }).path).toBe('programmes[0].id');
  });

  test('programme slots must name a known preset', () => {
    const file = userFile();
    file.programmes[0]!.slots[1]!.presetId = 'no-such-preset';
    expect(refused(file).path).toBe('programmes[0].slots[1].presetId');
  });

  test('programme slots may not overlap the previous session', () => {
    const file = userFile();
    file.programmes[0]!.slots[1]!.startMinuteOfDay = 9 * 60 + 10; // the 09:00 session lasts 30 min
    expect(refused(file).path).toBe('programmes[0].slots[1].startMinuteOfDay');
  });

  test('a programme day planning more than the daily cap is refused', () => {
    const file = userFile();
    const long = { ...structuredClone(file.presets[0]!), id: 'user-long' };
    long.program.durationMs = 11 * 3_600_000;
    file.presets.push(long);
    file.programmes[0]!.slots = [
      { id: 'a', startMinuteOfDay: 0, presetId: 'user-long', intensity: 'day' },
      { id: 'b', startMinuteOfDay: 12 * 60, presetId: 'user-conventional', intensity: 'day' },
      { id: 'c', startMinuteOfDay: 13 * 60, presetId: 'user-conventional', intensity: 'day' },
      { id: 'd', startMinuteOfDay: 14 * 60, presetId: 'user-conventional', intensity: 'day' },
    ];
    expect(refused(file).path).toBe('programmes[0].slots');
  });

  test('a programme may reference a preset the catalogue already holds', () => {
    const file = userFile();
    const known = new Map([[file.presets[0]!.id, file.presets[0]!]]);
    file.presets = file.presets.slice(1);
    file.programmes[0]!.slots[0]!.presetId = 'user-conventional';
    expect(() => parsePresetFile(file, { knownPresets: known })).not.toThrow();
    expect(refused(file).path).toBe('programmes[0].slots[0].presetId');
  });
});
