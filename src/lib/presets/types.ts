/**
 * The preset catalogue's data model. A preset is one session's stimulation; a programme is a schedule of
 * sessions over days or weeks. Every value carries a provenance mark: `from-source` only when the cited
 * source states it, `default` when StimBench chose it. Nothing is presented as evidence that is not.
 */
import type { Program } from '../../../firmware-protocol/src/index.ts';

/** Where a value comes from. */
export type Provenance = 'from-source' | 'default';

/**
 * A literature or registry citation. `status: 'verified'` means the bibliographic details (authors,
 * year, journal) and an identifier (DOI or PMID; trial id; URL for vendor documentation) were checked
 * against a bibliographic record; `'to-verify'` (allowed in imported files only, never in the built-in
 * catalogue) means the work is believed to exist but was not checked, and no identifier is asserted.
 */
export interface Citation {
  id: string;
  authors: string;
  year: number;
  title: string;
  /** Journal, book or registry, with volume and pages where known. */
  source: string;
  doi?: string;
  /** PubMed id, digits only. */
  pmid?: string;
  trialId?: string;
  url?: string;
  status: 'verified' | 'to-verify';
  /** What this work supports in the preset, in one line. */
  supports: string;
}

/** Every key of a preset that holds a value: the program's fields plus the suggested start amplitude. */
export type PresetValueKey = keyof Program | 'startAmplitudeUa';

/** Short-term presets are single sessions; long-term ones are meant for programmes. */
export type PresetTerm = 'short' | 'long';

/**
 * `surface`: a surface-electrode protocol this bench tool can run as is. `schedule-template`: a schedule
 * whose parameters must come from another system (e.g. a percutaneous lead's own stimulator); the values
 * here are placeholders inside StimBench's mode table, not the source's parameters.
 */
export type PresetScope = 'surface' | 'schedule-template';

/**
 * What the preset's electrodes are. `percutaneous`: a lead through the skin, which only a board that
 * declares a percutaneous output may drive (presets/runnable.ts). Absent means surface electrodes.
 */
export type PresetElectrodes = 'surface' | 'percutaneous';

export interface Preset {
  id: string;
  name: string;
  term: PresetTerm;
  scope: PresetScope;
  summary: string;
  /**
   * The program. `amplitudeUa` is a CEILING: the engine always starts at 0, ramps, and titrates up to at
   * most this value; it is never applied without a ramp. `channel` is a placeholder (the user picks).
   */
  program: Program;
  /** Suggested first titration level, µA (≤ program.amplitudeUa). */
  startAmplitudeUa: number;
  /** Per-value provenance: every key of `program` and `startAmplitudeUa`. */
  provenance: Record<PresetValueKey, Provenance>;
  citations: Citation[];
  /** Caveats: what differs from the source and why. */
  notes: string[];
  /**
   * Values that are placeholders the user must replace before the preset can run (a template's values
   * that neither a source nor a safe default gives). A preset with any left is refused by runnable.ts,
   * naming them. Absent or empty: every value is meant to be run.
   */
  placeholders?: PresetValueKey[];
  /** Surface pads (default) or a percutaneous lead. */
  electrodes?: PresetElectrodes;
}

/** One session slot in a programme's day. */
export interface ProgrammeSlot {
  id: string;
  /** Local time of day the session is due, minutes after midnight (0–1439). */
  startMinuteOfDay: number;
  presetId: string;
  /** Night slots use the programme's lower night intensity. */
  intensity: 'day' | 'night';
}

/** Every schedule value of a programme that carries a provenance mark. */
export type ProgrammeValueKey =
  | 'courseLengthDays'
  | 'daysOfWeek'
  | 'slots'
  | 'sessionPresets'
  | 'nightIntensityPermille'
  | 'windowMinutes';

export interface Programme {
  id: string;
  name: string;
  scope: PresetScope;
  summary: string;
  /** Length of the course in days from the enrolment day (day 0). */
  courseLengthDays: number;
  /** Days of the week with sessions: 0 = Sunday … 6 = Saturday (local time). */
  daysOfWeek: number[];
  /** The day's sessions, in time order. Sessions per day = slots.length. */
  slots: ProgrammeSlot[];
  /** Night slots: amplitude ceiling and start scaled by this, in thousandths (e.g. 700 = 70 %). */
  nightIntensityPermille: number;
  /** A slot may be started up to this long after its time before it counts as missed, minutes. */
  windowMinutes: number;
  provenance: Record<ProgrammeValueKey, Provenance>;
  citations: Citation[];
  notes: string[];
}

/** The versioned exchange format for presets and programmes. */
export interface PresetFile {
  format: 'stimbench-presets';
  version: 1;
  presets: Preset[];
  programmes: Programme[];
}

export const PRESET_FILE_FORMAT = 'stimbench-presets';
export const PRESET_FILE_VERSION = 1;
