/**
 * The valibot schema of the preset exchange file `{ format: 'stimbench-presets', version: 1, presets,
 * programmes }`. Objects are strict: an unknown key (a typo such as `frequencyHz`) is an error, not
 * silently dropped. Shape only; the stimulation limits are checked by validateProgram in parsePresetFile.
 */
import * as v from 'valibot';
import { MODES, WAVEFORMS } from '../../../firmware-protocol/src/index.ts';
import { PRESET_VALUE_KEYS } from './provenanceOf.ts';
import { PRESET_FILE_FORMAT, PRESET_FILE_VERSION } from './types.ts';

const uint = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));
const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
const id = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes, 1–64 characters'));
const citationId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, 'letters, digits and dashes, 1–64 characters'));
const provenanceValue = v.picklist(['from-source', 'default']);

export const ProgramSchema = v.strictObject({
  channel: uint(0xfe),
  mode: v.picklist(MODES),
  waveform: v.picklist(WAVEFORMS),
  frequencyDeciHz: uint(0xffff),
  pulseWidthUs: uint(0xffff),
  amplitudeUa: uint(0xffffffff),
  durationMs: uint(0xffffffff),
  rampUpMs: uint(0xffffffff),
  rampDownMs: uint(0xffffffff),
  burstPulses: uint(0xff),
  burstFrequencyDeciHz: uint(0xffff),
  sweepHighDeciHz: uint(0xffff),
  sweepPeriodMs: uint(0xffffffff),
});

export const CitationSchema = v.strictObject({
  id: citationId,
  authors: text(500),
  year: v.pipe(v.number(), v.integer(), v.minValue(1900), v.maxValue(2100)),
  title: text(500),
  source: text(300),
  doi: v.exactOptional(v.pipe(v.string(), v.regex(/^10\.\d{4,9}\/\S+$/, 'a DOI such as 10.1234/abc'))),
  pmid: v.exactOptional(v.pipe(v.string(), v.regex(/^[1-9]\d{0,8}$/, 'a PubMed id (digits)'))),
  trialId: v.exactOptional(text(64)),
  url: v.exactOptional(v.pipe(v.string(), v.url())),
  status: v.picklist(['verified', 'to-verify']),
  supports: text(500),
});

export const PresetSchema = v.strictObject({
  id,
  name: text(200),
  term: v.picklist(['short', 'long']),
  scope: v.picklist(['surface', 'schedule-template']),
  summary: text(1000),
  program: ProgramSchema,
  startAmplitudeUa: uint(0xffffffff),
  provenance: v.strictObject({
    channel: provenanceValue,
    mode: provenanceValue,
    waveform: provenanceValue,
    frequencyDeciHz: provenanceValue,
    pulseWidthUs: provenanceValue,
    amplitudeUa: provenanceValue,
    durationMs: provenanceValue,
    rampUpMs: provenanceValue,
    rampDownMs: provenanceValue,
    burstPulses: provenanceValue,
    burstFrequencyDeciHz: provenanceValue,
    sweepHighDeciHz: provenanceValue,
    sweepPeriodMs: provenanceValue,
    startAmplitudeUa: provenanceValue,
  }),
  citations: v.pipe(v.array(CitationSchema), v.maxLength(20)),
  notes: v.pipe(v.array(text(2000)), v.maxLength(20)),
  placeholders: v.exactOptional(v.pipe(v.array(v.picklist(PRESET_VALUE_KEYS)), v.maxLength(PRESET_VALUE_KEYS.length))),
  electrodes: v.exactOptional(v.picklist(['surface', 'percutaneous'])),
});

export const ProgrammeSlotSchema = v.strictObject({
  id,
  startMinuteOfDay: uint(1439),
  presetId: id,
  intensity: v.picklist(['day', 'night']),
});

export const ProgrammeSchema = v.strictObject({
  id,
  name: text(200),
  scope: v.picklist(['surface', 'schedule-template']),
  summary: text(1000),
  courseLengthDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(366)),
  daysOfWeek: v.pipe(v.array(uint(6)), v.minLength(1), v.maxLength(7)),
  slots: v.pipe(v.array(ProgrammeSlotSchema), v.minLength(1), v.maxLength(24)),
  nightIntensityPermille: v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(1000)),
  windowMinutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(24 * 60)),
  provenance: v.strictObject({
    courseLengthDays: provenanceValue,
    daysOfWeek: provenanceValue,
    slots: provenanceValue,
    sessionPresets: provenanceValue,
    nightIntensityPermille: provenanceValue,
    windowMinutes: provenanceValue,
  }),
  citations: v.pipe(v.array(CitationSchema), v.maxLength(20)),
  notes: v.pipe(v.array(text(2000)), v.maxLength(20)),
});

export const PresetFileSchema = v.strictObject({
  format: v.literal(PRESET_FILE_FORMAT),
  version: v.literal(PRESET_FILE_VERSION),
  presets: v.pipe(v.array(PresetSchema), v.maxLength(500)),
  programmes: v.pipe(v.array(ProgrammeSchema), v.maxLength(200)),
});
