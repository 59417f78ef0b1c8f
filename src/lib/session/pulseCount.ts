/**
 * How many pulses a program has fired by `tMs` after its START: the pulse timing PROTOCOL.md gives
 * (first pulse at START; burst trains of `burstPulses` at `burstFrequencyDeciHz`, repeated at
 * `frequencyDeciHz`; a modulated rate sweeping linearly low → high → low over `sweepPeriodMs`, a pulse
 * each time ∫f dt crosses a whole number). The record's charge counts the pulses fired in each telemetry
 * sample, times the delivered current and the pulse width, as the board does.
 */
import type { Program } from '../../../firmware-protocol/src/index.ts';

export function pulsesUpTo(program: Program, tMs: number): number {
  if (tMs < 0) return 0;
  switch (program.mode) {
    case 'burst': {
      if (program.frequencyDeciHz <= 0 || program.burstFrequencyDeciHz <= 0) return 0;
      const periodMs = 10_000 / program.frequencyDeciHz;
      const innerMs = 10_000 / program.burstFrequencyDeciHz;
      const bursts = Math.floor(tMs / periodMs);
      const inTrain = Math.floor((tMs - bursts * periodMs) / innerMs) + 1;
      return bursts * program.burstPulses + Math.min(program.burstPulses, inTrain);
    }
    case 'modulated': {
      const P = program.sweepPeriodMs;
      if (P <= 0) return 0;
      const low = program.frequencyDeciHz / 10_000; // pulses per ms
      const high = program.sweepHighDeciHz / 10_000;
      const perPeriod = ((low + high) / 2) * P;
      const periods = Math.floor(tMs / P);
      const tau = tMs - periods * P;
      const rise = (x: number) => low * x + ((high - low) * x * x) / P;
      const within = tau <= P / 2 ? rise(tau) : perPeriod - rise(P - tau);
      return Math.floor(periods * perPeriod + within) + 1;
    }
    default: {
      if (program.frequencyDeciHz <= 0) return 0;
      return Math.floor(tMs / (10_000 / program.frequencyDeciHz)) + 1;
    }
  }
}
