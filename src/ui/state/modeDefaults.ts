/**
 * Starting values when a mode is picked on the Control screen: mid-range figures typical of each mode
 * (Johnson 2021), amplitude 0 so the user titrates up. They are defaults, not evidence.
 */
import type { Mode, Program } from '../../../firmware-protocol/src/index.ts';

const MIN = 60_000;

export function defaultProgram(mode: Mode, channel: number): Program {
  const base: Program = {
    channel,
    mode,
    waveform: 'symmetric-biphasic',
    frequencyDeciHz: 1000,
    pulseWidthUs: 200,
    amplitudeUa: 0,
    durationMs: 30 * MIN,
    rampUpMs: 10_000,
    rampDownMs: 5_000,
    burstPulses: 0,
    burstFrequencyDeciHz: 0,
    sweepHighDeciHz: 0,
    sweepPeriodMs: 0,
  };
  switch (mode) {
    case 'conventional':
      return base;
    case 'acupuncture-like':
      return { ...base, frequencyDeciHz: 20, pulseWidthUs: 250 };
    case 'burst':
      return { ...base, frequencyDeciHz: 20, pulseWidthUs: 200, burstPulses: 7, burstFrequencyDeciHz: 1000 };
    case 'brief-intense':
      return { ...base, frequencyDeciHz: 1000, pulseWidthUs: 250, durationMs: 15 * MIN };
    case 'modulated':
      return { ...base, frequencyDeciHz: 20, sweepHighDeciHz: 1000, sweepPeriodMs: 10_000 };
    case 'low-frequency':
      return { ...base, frequencyDeciHz: 200, pulseWidthUs: 100, durationMs: 60 * MIN };
  }
}
