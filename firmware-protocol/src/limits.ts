/**
 * Hard limits per stimulation mode (v1), in wire units. Sources are cited per figure; where StimBench
 * picked a number no source gives, the comment says so. Board caps and lab caps may only tighten these.
 */
import type { Mode } from './program.ts';

export interface Range {
  min: number;
  max: number;
}

export interface ModeLimits {
  /** Pulse rate; in burst mode the burst (train) rate; in modulated mode both ends of the sweep. */
  frequencyDeciHz: Range;
  /** Per-phase width (primary phase for asymmetric waveforms). */
  pulseWidthUs: Range;
  /** Highest peak amplitude. */
  maxAmplitudeUa: number;
  /** Longest single session, including ramps. */
  maxDurationMs: number;
  /** Burst mode only. */
  burst?: { pulses: Range; frequencyDeciHz: Range; maxTrainMs: number };
  /** Modulated mode only. */
  sweep?: { periodMs: Range };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export const MODE_LIMITS: Readonly<Record<Mode, Readonly<ModeLimits>>> = {
  conventional: {
    // 50–150 Hz, 50–250 µs: conventional (high-frequency, low-intensity) TENS — Johnson 2021
    // (Medicina 57:378, doi:10.3390/medicina57040378); Sluka & Walsh 2003, J Pain 4(3):109.
    frequencyDeciHz: { min: 500, max: 1500 },
    pulseWidthUs: { min: 50, max: 250 },
    // ≤ 60 mA: conventional TENS is comfortable well below this; product choice under IEC 60601-2-10.
    maxAmplitudeUa: 60_000,
    // 12 h: continuous all-day use reported for conventional TENS (Johnson 2021); product choice.
    maxDurationMs: 12 * HOUR_MS,
  },
  'acupuncture-like': {
    // 1–10 Hz, 100–400 µs, strong intensity — Sjölund & Eriksson 1979; Johnson 2021; Watson (electrotherapy).
    frequencyDeciHz: { min: 10, max: 100 },
    pulseWidthUs: { min: 100, max: 400 },
    maxAmplitudeUa: 80_000,
    // 60 min: AL-TENS sessions are typically 20–45 min (Johnson 2021); product choice.
    maxDurationMs: 60 * MINUTE_MS,
  },
  burst: {
    // Bursts at 1–5 Hz of 2–10 pulses at 50–150 Hz, train ≤ 100 ms — Eriksson, Sjölund & Nielzén 1979;
    // Johnson 2021 (burst TENS ~2 Hz trains of ~100 Hz pulses).
    frequencyDeciHz: { min: 10, max: 50 },
    pulseWidthUs: { min: 100, max: 300 },
    maxAmplitudeUa: 80_000,
    maxDurationMs: 60 * MINUTE_MS,
    burst: { pulses: { min: 2, max: 10 }, frequencyDeciHz: { min: 500, max: 1500 }, maxTrainMs: 100 },
  },
  'brief-intense': {
    // 80–150 Hz, 150–300 µs, at the highest tolerable intensity for short periods — Walsh 1997;
    // Johnson 2021 (intense TENS: 15 min).
    frequencyDeciHz: { min: 800, max: 1500 },
    pulseWidthUs: { min: 150, max: 300 },
    maxAmplitudeUa: 80_000,
    maxDurationMs: 15 * MINUTE_MS,
  },
  modulated: {
    // Frequency sweep between two rates within 1–150 Hz: the union of the conventional and the low-rate
    // TENS ranges above. The sweep itself and the 1–30 s period bounds are StimBench choices: no cited
    // source gives a sweep protocol.
    frequencyDeciHz: { min: 10, max: 1500 },
    pulseWidthUs: { min: 50, max: 350 },
    maxAmplitudeUa: 60_000,
    maxDurationMs: 60 * MINUTE_MS,
    sweep: { periodMs: { min: 1_000, max: 30_000 } },
  },
  'low-frequency': {
    // 1–30 Hz: a review of long-term peripheral nerve stimulation through IMPLANTED electrodes considers
    // chronic stimulation below 30 Hz safe (Günter, Delbeke & Ortiz-Catalan 2019, J NeuroEng Rehabil
    // 16:13, doi:10.1186/s12984-018-0474-8); StimBench borrows that bound as a conservative ceiling for
    // surface electrodes, not as evidence about them. 20 Hz for 1 h is brief electrical stimulation
    // (Gordon & English 2016, Eur J Neurosci 43:336).
    frequencyDeciHz: { min: 10, max: 300 },
    pulseWidthUs: { min: 50, max: 300 },
    maxAmplitudeUa: 50_000,
    maxDurationMs: 60 * MINUTE_MS,
  },
};

/**
 * r.m.s. current ≤ 50 mA: IEC 60601-2-10 output limit for pulse rates ≤ 400 Hz into 500 Ω.
 * Computed as I_peak · sqrt(equivalent phase time per pulse · pulse rate).
 */
export const MAX_RMS_CURRENT_UA = 50_000;

/**
 * Charge per phase ≤ 25 µC (25 000 nC), primary phase: amplitudeUa · pulseWidthUs ≤ 25 000 000 (µA·µs = pC).
 * No standard we could find gives a per-phase charge limit for surface stimulators: IEC 60601-2-10 limits
 * the r.m.s. current (above), the energy per pulse (300 mJ into 500 Ω) and the open-circuit peak voltage
 * (500 V), and the well-known charge-density limits (Shannon/McCreery) are for implanted electrodes, which
 * that standard excludes. 25 µC is a StimBench bench choice: just above the most charge any other row of
 * the mode table reaches (80 mA × 300 µs = 24 µC in burst and brief-intense), so it removes only the
 * acupuncture-like corner up to 80 mA × 400 µs = 32 µC (at 400 µs the most is then 62.5 mA).
 */
export const MAX_CHARGE_PER_PHASE_NC = 25_000;

/** Load at which the energy per pulse is stated: 500 Ω, the IEC 60601-2-10 reference load. */
export const REFERENCE_LOAD_OHM = 500;

/** r.m.s. current density warning level: 2 mA/cm² (IEC 60601-2-10). A lab setting may raise it. */
export const DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2 = 2_000;
/** Highest density a lab override may set: 10 mA/cm². StimBench choice; no standard gives a hard value. */
export const MAX_CURRENT_DENSITY_OVERRIDE_UA_PER_CM2 = 10_000;

/**
 * Fastest amplitude rise: 10 mA/s. StimBench choice (soft start as in FOC-Stim and DG-Lab Coyote); a
 * board may advertise a slower one. Decreases are immediate.
 */
export const MAX_SLEW_UA_PER_S = 10_000;

/** Shortest program: 1 s. Longest ramp either way: 5 min. StimBench choices. */
export const MIN_DURATION_MS = 1_000;
export const MAX_RAMP_MS = 5 * MINUTE_MS;

/** Highest channel index the protocol can address (ALL_CHANNELS = 0xFF is reserved). */
export const MAX_CHANNEL_INDEX = 0xfe;
