/**
 * The built-in presets. Each amplitude is a ceiling and each start amplitude a suggestion: the engine
 * starts every session at 0 mA, ramps, and the user titrates to "strong but comfortable" (Johnson 2021;
 * Johnson et al. 2022). A value is marked `from-source` only where the cited work states it; everything
 * else is a StimBench default inside the mode table (firmware-protocol/src/limits.ts).
 */
import { CITATIONS } from './citations.ts';
import { presetProgram } from './presetProgram.ts';
import { presetProvenance } from './provenanceOf.ts';
import type { Preset } from './types.ts';

const MIN = 60_000;

export const BUILTIN_PRESETS: readonly Preset[] = [
  {
    id: 'conventional-tens',
    name: 'Conventional TENS (100 Hz, 30 min)',
    term: 'short',
    scope: 'surface',
    summary: 'High-frequency, sensory-level TENS at the painful site, titrated to a strong but comfortable tingling.',
    program: presetProgram({ mode: 'conventional', frequencyDeciHz: 1000, pulseWidthUs: 100, amplitudeUa: 40_000, durationMs: 30 * MIN }),
    startAmplitudeUa: 5_000,
    provenance: presetProvenance(['mode', 'frequencyDeciHz']),
    citations: [CITATIONS.johnson2021, CITATIONS.johnson2022meta, CITATIONS.johnson2022features],
    notes: [
      '100 Hz: the most common stated frequency in 381 TENS trials (Johnson et al. 2022, Medicina).',
      'Pulse width, 30-minute duration and the 40 mA ceiling are StimBench defaults.',
    ],
  },
  {
    id: 'acupuncture-like-tens',
    name: 'Acupuncture-like TENS (2 Hz, 30 min)',
    term: 'short',
    scope: 'surface',
    summary: 'Low-frequency TENS at a motor-level intensity (visible muscle twitch), over muscle or acupoints.',
    program: presetProgram({ mode: 'acupuncture-like', frequencyDeciHz: 20, pulseWidthUs: 200, amplitudeUa: 60_000, durationMs: 30 * MIN }),
    startAmplitudeUa: 5_000,
    provenance: presetProvenance(['mode']),
    citations: [CITATIONS.slukaWalsh2003, CITATIONS.johnson2021],
    notes: [
      'The sources describe low-frequency (< 10 Hz) motor-level TENS; the specific 2 Hz, 200 µs and 30 min are StimBench defaults.',
    ],
  },
  {
    id: 'burst-tens',
    name: 'Burst TENS (2 Hz trains of 7 pulses at 100 Hz, 30 min)',
    term: 'short',
    scope: 'surface',
    summary: 'Trains of high-frequency pulses delivered at a low train rate.',
    program: presetProgram({
      mode: 'burst',
      frequencyDeciHz: 20,
      pulseWidthUs: 200,
      amplitudeUa: 60_000,
      durationMs: 30 * MIN,
      burstPulses: 7,
      burstFrequencyDeciHz: 1000,
    }),
    startAmplitudeUa: 5_000,
    provenance: presetProvenance(['mode']),
    citations: [CITATIONS.eriksson1979, CITATIONS.johnson2021],
    notes: ['Train rate, pulses per train (7 → 70 ms train) and intra-train rate are StimBench defaults inside the burst mode table.'],
  },
  {
    id: 'brief-intense-tens',
    name: 'Brief-intense TENS (100 Hz, 250 µs, 15 min)',
    term: 'short',
    scope: 'surface',
    summary: 'High-frequency TENS at the highest tolerable intensity, for short periods (e.g. during a painful procedure).',
    program: presetProgram({ mode: 'brief-intense', frequencyDeciHz: 1000, pulseWidthUs: 250, amplitudeUa: 60_000, durationMs: 15 * MIN }),
    startAmplitudeUa: 10_000,
    provenance: presetProvenance(['mode']),
    citations: [CITATIONS.johnson2021],
    notes: ['15 min is the brief-intense mode limit of StimBench’s table, used here as a default, not a sourced duration.'],
  },
  {
    id: 'modulated-tens',
    name: 'Modulated TENS (2 ↔ 100 Hz sweep, 6 s cycle, 30 min)',
    term: 'short',
    scope: 'surface',
    summary: 'Frequency-modulated TENS sweeping between a low and a high rate, to limit habituation.',
    program: presetProgram({
      mode: 'modulated',
      frequencyDeciHz: 20,
      sweepHighDeciHz: 1000,
      sweepPeriodMs: 6_000,
      pulseWidthUs: 200,
      amplitudeUa: 40_000,
      durationMs: 30 * MIN,
    }),
    startAmplitudeUa: 5_000,
    provenance: presetProvenance([]),
    citations: [],
    notes: [
      'Every value is a StimBench default inside the modulated mode table (the 2 ↔ 100 Hz ends, the 6 s cycle, pulse width, duration and ceiling); no source’s protocol is reproduced.',
    ],
  },
  {
    id: 'bes-20hz-1h',
    name: 'Brief electrical stimulation for nerve regeneration (20 Hz continuous, 1 h)',
    term: 'short',
    scope: 'surface',
    summary: 'A single hour of continuous 20 Hz stimulation, the "brief electrical stimulation" protocol of nerve-regeneration research.',
    program: presetProgram({ mode: 'low-frequency', frequencyDeciHz: 200, pulseWidthUs: 100, amplitudeUa: 30_000, durationMs: 60 * MIN }),
    startAmplitudeUa: 3_000,
    provenance: presetProvenance(['mode', 'frequencyDeciHz', 'durationMs']),
    citations: [CITATIONS.gordon2010, CITATIONS.juckett2022],
    notes: [
      'The clinical studies stimulated the nerve through electrodes placed at the nerve after surgery, with the stimulus set in volts; surface electrodes on a bench are an adaptation, and no amplitude transfers from the source.',
      '100 µs pulses are a StimBench default.',
      'The 1 h includes the 10 s ramp-up and 5 s ramp-down.',
    ],
  },
  {
    id: 'pdn-2hz-30min',
    name: 'Painful diabetic neuropathy session (2 Hz, 30 min per leg)',
    term: 'long',
    scope: 'surface',
    summary: 'One daily 30-minute low-frequency session per lower extremity, for the 4-week course.',
    program: presetProgram({ mode: 'low-frequency', frequencyDeciHz: 20, pulseWidthUs: 250, amplitudeUa: 40_000, durationMs: 30 * MIN }),
    startAmplitudeUa: 5_000,
    provenance: presetProvenance(['frequencyDeciHz', 'durationMs']),
    citations: [CITATIONS.kumarMarshall1997, CITATIONS.jin2010, CITATIONS.alZamil2022, CITATIONS.moisset2020],
    notes: [
      'How the evidence compares: a later trial of 75 patients (Al-Zamil et al. 2022) found high-frequency TENS lowered pain on the visual analogue scale 34.7 % more than low-frequency TENS (low frequency did better only on the affective part of the McGill questionnaire). See the high-frequency preset beside this one. Moisset et al. 2020 review TENS with the other neuropathic-pain treatments.',
      'Kumar & Marshall used an H-Wave device: exponentially decaying biphasic pulses of 4 ms at ≥ 2 Hz, 25–35 V. 4 ms is far outside StimBench’s table (≤ 300 µs in this mode), so the 250 µs rectangular biphasic pulse is a StimBench default, not the source’s waveform.',
      'The source treated each leg for 30 min: run one session per leg (one channel each).',
      'Numb feet: you cannot feel when the current is too strong, so do not titrate on numb skin. Find the level first on skin with normal sensation (calf or thigh, same electrodes and program), never go above it on the feet, raise in 1 mA steps only, and look at the skin under each electrode after every session; stop at any redness still there an hour later.',
    ],
  },
  {
    id: 'pdn-hf-tens-30min',
    name: 'Painful diabetic neuropathy: high-frequency TENS (100 Hz, 30 min per leg)',
    term: 'long',
    scope: 'surface',
    summary: 'High-frequency, sensory-level TENS for painful diabetic neuropathy, the arm of the comparison trial that relieved pain better than low-frequency TENS.',
    program: presetProgram({ mode: 'conventional', frequencyDeciHz: 1000, pulseWidthUs: 100, amplitudeUa: 40_000, durationMs: 30 * MIN }),
    startAmplitudeUa: 5_000,
    provenance: presetProvenance(['mode']),
    citations: [CITATIONS.alZamil2022, CITATIONS.moisset2020, CITATIONS.jin2010],
    notes: [
      'Al-Zamil et al. 2022 (75 patients, all on standard drugs): high-frequency TENS lowered pain on the visual analogue scale 34.7 % more than low-frequency TENS. Only "high frequency" is taken from the trial: the 100 Hz, 100 µs, 30 min and 40 mA ceiling are StimBench defaults inside the conventional mode table.',
      'Numb feet: you cannot feel when the current is too strong, so do not titrate on numb skin. Find the level first on skin with normal sensation (calf or thigh, same electrodes and program), never go above it on the feet, raise in 1 mA steps only, and look at the skin under each electrode after every session.',
    ],
  },
  {
    id: 'nerve-regeneration-4hz-60min',
    name: 'Low-frequency TENS after a nerve injury (4 Hz, 60 min; the study used 2 h)',
    term: 'short',
    scope: 'surface',
    summary: 'Low-frequency TENS as in the animal study the review cites for nerve regeneration: 4 Hz, started just after the injury.',
    program: presetProgram({ mode: 'acupuncture-like', frequencyDeciHz: 40, pulseWidthUs: 200, amplitudeUa: 30_000, durationMs: 60 * MIN }),
    startAmplitudeUa: 3_000,
    provenance: presetProvenance(['mode', 'frequencyDeciHz']),
    citations: [CITATIONS.deAssis2014, CITATIONS.moisset2020],
    notes: [
      'Evidence from mice only (de Assis et al. 2014): after a sciatic nerve crush, 4 Hz TENS for 2 h immediately after the lesion gave more regeneration at five weeks, while 100 Hz did not help and may have harmed it. There is no human dose behind this preset.',
      'Where the review and the study differ: the review describes this as 2 Hz low-frequency TENS; the study it cites used 4 Hz, which is what this preset uses.',
      'The study stimulated for 2 h in one sitting. StimBench’s low-frequency (acupuncture-like) mode table allows at most 60 min per session, so this preset runs 60 min; it does not raise that limit. The 200 µs pulse, the 30 mA ceiling and the 3 mA start are StimBench defaults: the study’s intensity is not used here.',
    ],
  },
  {
    id: 'pns-template-60min',
    name: 'Percutaneous PNS schedule template session (60 min, placeholder parameters)',
    term: 'long',
    scope: 'schedule-template',
    summary: 'A placeholder session for the 60-day PNS course template. The real parameters must come from the percutaneous lead’s own system.',
    program: presetProgram({ mode: 'conventional', frequencyDeciHz: 1000, pulseWidthUs: 100, amplitudeUa: 20_000, durationMs: 60 * MIN }),
    startAmplitudeUa: 2_000,
    provenance: presetProvenance([]),
    // Context only: these describe the 60-day percutaneous course, none of the values below.
    citations: [CITATIONS.gilmore2020, CITATIONS.sprintBackPain],
    notes: [
      'Percutaneous leads are outside the scope of a surface-electrode bench tool. Every value here is a StimBench placeholder inside the conventional mode table; do not read it as the PNS systems’ parameters.',
      'Not runnable as it stands: every placeholder must be replaced with the values of your protocol (export, edit, import as your own preset), and the board must declare a percutaneous output, which no protocol v1 board can.',
    ],
    placeholders: ['mode', 'waveform', 'frequencyDeciHz', 'pulseWidthUs', 'amplitudeUa', 'durationMs', 'startAmplitudeUa'],
    electrodes: 'percutaneous',
  },
  {
    id: 'wearable-60min',
    name: 'Wearable-style session (60 min)',
    term: 'long',
    scope: 'surface',
    summary: 'A 60-minute high-frequency session, the unit of the wearable day-and-night schedule.',
    program: presetProgram({ mode: 'conventional', frequencyDeciHz: 1000, pulseWidthUs: 150, amplitudeUa: 40_000, durationMs: 60 * MIN }),
    startAmplitudeUa: 5_000,
    provenance: presetProvenance(['durationMs']),
    citations: [CITATIONS.quellManual, CITATIONS.gozani2016],
    notes: [
      '60-minute sessions as in the Quell device’s manual. Frequency, pulse width and ceiling are StimBench defaults; the device’s own stimulation parameters are not reproduced.',
    ],
  },
];
