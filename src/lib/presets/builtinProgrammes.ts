/**
 * The built-in multi-week programmes: schedules of preset sessions over days and weeks. The surface ones are
 * multi-week surface TENS programmes, never long-term peripheral nerve stimulation (that needs implanted leads). As with presets,
 * a schedule value is `from-source` only where a cited work states it. Every programme respects the
 * engine's daily cap (12 h of stimulation per channel per rolling 24 h) by construction.
 */
import { CITATIONS } from './citations.ts';
import { programmeProvenance } from './provenanceOf.ts';
import type { Programme, ProgrammeSlot } from './types.ts';

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const at = (hours: number, minutes = 0) => hours * 60 + minutes;
const slot = (id: string, minuteOfDay: number, presetId: string, intensity: ProgrammeSlot['intensity'] = 'day'): ProgrammeSlot => ({
  id,
  startMinuteOfDay: minuteOfDay,
  presetId,
  intensity,
});

export const BUILTIN_PROGRAMMES: readonly Programme[] = [
  {
    id: 'pdn-4-week',
    name: 'Painful diabetic neuropathy: multi-week surface TENS programme (daily for 4 weeks)',
    scope: 'surface',
    summary: 'One 30-minute session per leg every day for 4 weeks.',
    courseLengthDays: 28,
    daysOfWeek: EVERY_DAY,
    slots: [slot('morning', at(9), 'pdn-2hz-30min')],
    nightIntensityPermille: 1000,
    windowMinutes: 12 * 60,
    provenance: programmeProvenance(['courseLengthDays', 'daysOfWeek', 'sessionPresets']),
    citations: [CITATIONS.kumarMarshall1997, CITATIONS.jin2010],
    notes: [
      'Daily 30-minute sessions for 4 weeks (Kumar & Marshall 1997). The 09:00 time and the 12-hour window are StimBench defaults.',
      'Jin et al. 2010 pooled 3 small trials: benefit at 4 and 6 weeks, not at 12.',
    ],
  },
  {
    id: 'pns-60-day-template',
    name: 'Percutaneous PNS: 60-day course (schedule template)',
    scope: 'schedule-template',
    summary: 'The 60-day shape of percutaneous PNS courses. A schedule only: the parameters must come from the lead’s own system.',
    courseLengthDays: 60,
    daysOfWeek: EVERY_DAY,
    slots: [slot('morning', at(9), 'pns-template-60min'), slot('afternoon', at(14), 'pns-template-60min'), slot('evening', at(19), 'pns-template-60min')],
    nightIntensityPermille: 1000,
    windowMinutes: 3 * 60,
    provenance: programmeProvenance(['courseLengthDays']),
    citations: [CITATIONS.gilmore2020, CITATIONS.cohen2019, CITATIONS.sprintBackPain],
    notes: [
      'Up to 60 days of stimulation, then lead withdrawal (Cohen et al. 2019; Gilmore et al. 2020). The daily hours, times and session parameters are StimBench placeholders.',
      'Percutaneous leads are outside this surface-electrode tool’s scope; use the template to schedule and record, not to choose parameters.',
    ],
  },
  {
    id: 'weekly-conventional-4-week',
    name: 'Multi-week surface TENS programme: conventional TENS Mon/Wed/Fri for 4 weeks',
    scope: 'surface',
    summary: 'Three 30-minute conventional TENS sessions a week for 4 weeks.',
    courseLengthDays: 28,
    daysOfWeek: [1, 3, 5],
    slots: [slot('session', at(10), 'conventional-tens')],
    nightIntensityPermille: 1000,
    windowMinutes: 8 * 60,
    provenance: programmeProvenance([]),
    citations: [],
    notes: ['A StimBench scheduling template with no clinical source: every value is a default.'],
  },
  {
    id: 'wearable-day-night-60-day',
    name: 'Multi-week surface TENS programme: wearable-style day and night (60 min sessions, lower intensity at night), 60 days',
    scope: 'surface',
    summary: 'Hourly sessions through the day; overnight, the first session at the day intensity and then one every other hour at a lower intensity.',
    courseLengthDays: 60,
    daysOfWeek: EVERY_DAY,
    slots: [
      slot('night-1', at(1), 'wearable-60min', 'night'),
      slot('night-3', at(3), 'wearable-60min', 'night'),
      slot('night-5', at(5), 'wearable-60min', 'night'),
      slot('day-8', at(8), 'wearable-60min'),
      slot('day-11', at(11), 'wearable-60min'),
      slot('day-14', at(14), 'wearable-60min'),
      slot('day-17', at(17), 'wearable-60min'),
      slot('day-20', at(20), 'wearable-60min'),
      // First overnight session at the regular intensity, as in the device's default sleep setting.
      slot('bedtime-23', at(23), 'wearable-60min'),
    ],
    nightIntensityPermille: 700,
    windowMinutes: 90,
    provenance: programmeProvenance(['courseLengthDays', 'sessionPresets']),
    citations: [CITATIONS.gozani2016, CITATIONS.quellSleep, CITATIONS.quellManual],
    notes: [
      '60 days of use (Gozani 2016) with 60-minute sessions (Quell manual).',
      'Overnight: first session at the regular intensity, then every other hour at a lower one (Quell support article). How much lower is not stated there: 70 % is a StimBench default, as are the day times.',
      '9 h of stimulation per day: inside the 12 h per 24 h daily cap. The engine reminds the user to move the electrodes after 4 h on one site (the Quell manual’s long-term-wear alert).',
    ],
  },
];
