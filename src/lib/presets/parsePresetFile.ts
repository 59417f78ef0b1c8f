/**
 * Parse and check a preset exchange file. Shape errors come from the valibot schema; then each preset's
 * program must pass validateProgram (the mode table: the same rules the protocol layer and the board
 * apply), start ≤ ceiling, a `from-source` value needs a citation, and programme slots must reference
 * known presets, not overlap, and stay within the daily cap. Throws PresetImportError naming the path of
 * the first bad field (every issue is listed in `issues`); returns the file only when all of it is good.
 */
import * as v from 'valibot';
import { validateProgram } from '../../../firmware-protocol/src/index.ts';
import { PresetImportError, type PresetIssue } from './errors.ts';
import { PresetFileSchema } from './presetFileSchema.ts';
import type { Preset, PresetFile, Programme } from './types.ts';

/** 12 h of stimulation per participant per 24 h: a programme's day may not plan more (the engine's daily cap). */
export const PROGRAMME_DAY_MAX_MS = 12 * 60 * 60 * 1000;

export interface ParsePresetFileOptions {
  /** Ids that may not be redefined (the built-in catalogue). */
  reservedIds?: ReadonlySet<string>;
  /** Presets already in the catalogue that programme slots may reference, by id. */
  knownPresets?: ReadonlyMap<string, Preset>;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'undefined';
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 60)}…` : json;
  } catch {
    return String(value);
  }
}

/** `['presets', 2, 'program', 'frequencyDeciHz']` → `presets[2].program.frequencyDeciHz`. */
export function formatPath(keys: readonly unknown[]): string {
  let out = '';
  for (const key of keys) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function parsePresetFile(input: unknown, options: ParsePresetFileOptions = {}): PresetFile {
  const shape = v.safeParse(PresetFileSchema, input);
  if (!shape.success) {
    const issues = shape.issues.map(
      (issue): PresetIssue => ({
        path: formatPath((issue.path ?? []).map((p) => p.key)),
        expected: issue.expected ?? 'a valid value',
        got: issue.received,
        message: issue.message,
      }),
    );
    throw new PresetImportError(issues as [PresetIssue, ...PresetIssue[]]);
  }
  // The schema mirrors the types exactly (strict objects, exact optionals), so this is the same shape.
  const file = shape.output as PresetFile;
  const issues: PresetIssue[] = [];
  const add = (path: string, expected: string, got: unknown, message: string) => issues.push({ path, expected, got: describe(got), message });
  const reserved = options.reservedIds ?? new Set<string>();

  // A file may replace a user preset the catalogue holds (same id), but may not hold an id twice.
  const presetsById = new Map<string, Preset>(options.knownPresets ?? []);
  const fileIds = new Set<string>();
  file.presets.forEach((preset, i) => {
    const at = `presets[${i}]`;
    if (reserved.has(preset.id)) add(`${at}.id`, 'an id not used by a built-in preset', preset.id, 'id collides with a built-in preset');
    else if (fileIds.has(preset.id)) add(`${at}.id`, 'a unique id', preset.id, 'duplicate preset id in this file');
    fileIds.add(preset.id);
    presetsById.set(preset.id, preset);
    checkPreset(preset, at, add);
  });
  const programmeIds = new Set<string>();
  file.programmes.forEach((programme, i) => {
    const at = `programmes[${i}]`;
    if (reserved.has(programme.id)) add(`${at}.id`, 'an id not used by a built-in programme', programme.id, 'id collides with a built-in programme');
    else if (programmeIds.has(programme.id)) add(`${at}.id`, 'a unique id', programme.id, 'duplicate programme id in this file');
    programmeIds.add(programme.id);
    checkProgramme(programme, at, add, presetsById);
  });
  if (issues.length > 0) throw new PresetImportError(issues as [PresetIssue, ...PresetIssue[]]);
  return file;
}

export type Add = (path: string, expected: string, got: unknown, message: string) => void;

export function checkPreset(preset: Preset, at: string, add: Add): void {
  const result = validateProgram(preset.program);
  if (!result.ok) {
    for (const violation of result.violations) add(`${at}.program.${violation.field}`, `${violation.kind} ${violation.bound}`, violation.value, violation.message);
  }
  if (preset.startAmplitudeUa > preset.program.amplitudeUa) {
    add(`${at}.startAmplitudeUa`, `≤ ${preset.program.amplitudeUa} (the preset's ceiling, program.amplitudeUa)`, preset.startAmplitudeUa, 'start amplitude above the ceiling');
  }
  if (Object.values(preset.provenance).includes('from-source') && preset.citations.length === 0) {
    add(`${at}.citations`, 'at least one citation for from-source values', '[]', 'values marked from-source need a source');
  }
}

export function checkProgramme(programme: Programme, at: string, add: Add, presetsById: ReadonlyMap<string, Preset>): void {
  const seenDays = new Set<number>();
  programme.daysOfWeek.forEach((day, k) => {
    if (seenDays.has(day)) add(`${at}.daysOfWeek[${k}]`, 'each day once', day, 'duplicate day of week');
    seenDays.add(day);
  });
  const slotIds = new Set<string>();
  let dayTotalMs = 0;
  let previousEndMinute = -1;
  programme.slots.forEach((slot, j) => {
    const sat = `${at}.slots[${j}]`;
    if (slotIds.has(slot.id)) add(`${sat}.id`, 'a unique slot id', slot.id, 'duplicate slot id');
    slotIds.add(slot.id);
    const preset = presetsById.get(slot.presetId);
    if (!preset) {
      add(`${sat}.presetId`, 'the id of a preset in this file or the catalogue', slot.presetId, 'unknown preset');
      return;
    }
    if (slot.startMinuteOfDay < previousEndMinute) {
      add(`${sat}.startMinuteOfDay`, `≥ ${previousEndMinute} (after the previous session ends; slots in time order)`, slot.startMinuteOfDay, 'slot overlaps the previous session or is out of order');
    }
    previousEndMinute = slot.startMinuteOfDay + Math.ceil(preset.program.durationMs / 60_000);
    dayTotalMs += preset.program.durationMs;
  });
  if (dayTotalMs > PROGRAMME_DAY_MAX_MS) {
    add(`${at}.slots`, `≤ ${PROGRAMME_DAY_MAX_MS} ms of stimulation per day (daily cap)`, dayTotalMs, 'the day plans more stimulation than the daily cap allows');
  }
  if (Object.values(programme.provenance).includes('from-source') && programme.citations.length === 0) {
    add(`${at}.citations`, 'at least one citation for from-source values', '[]', 'values marked from-source need a source');
  }
}
