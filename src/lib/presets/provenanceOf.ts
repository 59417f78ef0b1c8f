/**
 * Build a complete per-value provenance map: every value is `default` unless named as `from-source`.
 * Listing only the sourced keys keeps each preset honest at a glance.
 */
import { PROGRAM_FIELDS } from '../../../firmware-protocol/src/index.ts';
import type { PresetValueKey, Programme, ProgrammeValueKey, Provenance } from './types.ts';

export const PRESET_VALUE_KEYS: readonly PresetValueKey[] = [...PROGRAM_FIELDS, 'startAmplitudeUa'];

export const PROGRAMME_VALUE_KEYS: readonly ProgrammeValueKey[] = [
  'courseLengthDays',
  'daysOfWeek',
  'slots',
  'sessionPresets',
  'nightIntensityPermille',
  'windowMinutes',
];

export function presetProvenance(fromSource: readonly PresetValueKey[]): Record<PresetValueKey, Provenance> {
  return Object.fromEntries(PRESET_VALUE_KEYS.map((k) => [k, fromSource.includes(k) ? 'from-source' : 'default'])) as Record<PresetValueKey, Provenance>;
}

export function programmeProvenance(fromSource: readonly ProgrammeValueKey[]): Programme['provenance'] {
  return Object.fromEntries(PROGRAMME_VALUE_KEYS.map((k) => [k, fromSource.includes(k) ? 'from-source' : 'default'])) as Programme['provenance'];
}
