/**
 * A stimulation program in wire units. Every field is an integer in the unit its name carries, so the
 * value the user set, the value sent and the value logged are the same number (no rounding anywhere).
 */

/** Stimulation modes, in wire-code order (the index is the wire code; append only). */
export const MODES = ['conventional', 'acupuncture-like', 'burst', 'brief-intense', 'modulated', 'low-frequency'] as const;
export type Mode = (typeof MODES)[number];

/** Waveforms, in wire-code order (append only). Both are charge-balanced: no net DC. */
export const WAVEFORMS = ['symmetric-biphasic', 'asymmetric-biphasic'] as const;
export type Waveform = (typeof WAVEFORMS)[number];

/**
 * Asymmetric biphasic: the secondary (balancing) phase lasts this many times the primary phase at
 * 1/ratio of its amplitude, so the charge of both phases is equal (no net DC).
 */
export const ASYMMETRIC_PHASE_RATIO = 4;

export interface Program {
  /** 0-based output channel. */
  channel: number;
  mode: Mode;
  waveform: Waveform;
  /**
   * Pulse rate in 0.1 Hz. Burst mode: the burst (train) rate. Modulated mode: the low end of the sweep.
   */
  frequencyDeciHz: number;
  /** Width of one phase (the primary phase for asymmetric waveforms), µs. */
  pulseWidthUs: number;
  /** Target peak amplitude of the primary phase, µA. Always reached through a ramp from 0. */
  amplitudeUa: number;
  /** Total session length including ramps, ms. */
  durationMs: number;
  /** Time to rise from 0 to `amplitudeUa`, ms. Bounded below by the slew-rate limit. */
  rampUpMs: number;
  /** Time to fall from `amplitudeUa` to 0 on STOP or at the end, ms. */
  rampDownMs: number;
  /** Burst mode: pulses per burst (2–10); 0 in every other mode. */
  burstPulses: number;
  /** Burst mode: pulse rate inside a burst, 0.1 Hz (50–150 Hz); 0 in every other mode. */
  burstFrequencyDeciHz: number;
  /** Modulated mode: the high end of the sweep, 0.1 Hz; 0 in every other mode. */
  sweepHighDeciHz: number;
  /** Modulated mode: time for one full low→high→low sweep, ms; 0 in every other mode. */
  sweepPeriodMs: number;
}

/** Every field of a Program, in wire order of meaning (for field-by-field comparisons and maps). */
export const PROGRAM_FIELDS: readonly (keyof Program)[] = [
  'channel',
  'mode',
  'waveform',
  'frequencyDeciHz',
  'pulseWidthUs',
  'amplitudeUa',
  'durationMs',
  'rampUpMs',
  'rampDownMs',
  'burstPulses',
  'burstFrequencyDeciHz',
  'sweepHighDeciHz',
  'sweepPeriodMs',
];

/** Wire code of a mode (its index in MODES). */
export function modeCode(mode: Mode): number {
  return MODES.indexOf(mode);
}

export function waveformCode(waveform: Waveform): number {
  return WAVEFORMS.indexOf(waveform);
}
