/**
 * Build a preset's Program from the fields that matter for its mode; the mode-specific fields of other
 * modes are 0, as validateProgram requires. Channel 0 is a placeholder: the user picks the channel.
 */
import type { Program } from '../../../firmware-protocol/src/index.ts';

type Required = Pick<Program, 'mode' | 'frequencyDeciHz' | 'pulseWidthUs' | 'amplitudeUa' | 'durationMs'>;

export function presetProgram(fields: Required & Partial<Program>): Program {
  return {
    channel: 0,
    waveform: 'symmetric-biphasic',
    // 10 s up, 5 s down: gentle enough for every ceiling in the catalogue (the slew limit needs ≥ 6 s for
    // 60 mA at 10 mA/s). StimBench defaults, no source.
    rampUpMs: 10_000,
    rampDownMs: 5_000,
    burstPulses: 0,
    burstFrequencyDeciHz: 0,
    sweepHighDeciHz: 0,
    sweepPeriodMs: 0,
    ...fields,
  };
}
