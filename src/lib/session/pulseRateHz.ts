/**
 * Mean pulses per second a program delivers, for charge accounting from the telemetry envelope. Burst:
 * train rate × pulses per train. Modulated: the mean of a linear sweep between the two ends, (low + high)/2
 * (the limit checks use the high end instead, as the worst case; here we want the expected value).
 */
import type { Program } from '../../../firmware-protocol/src/index.ts';

export function meanPulseRateHz(program: Program): number {
  switch (program.mode) {
    case 'burst':
      return (program.frequencyDeciHz / 10) * program.burstPulses;
    case 'modulated':
      return (program.frequencyDeciHz + program.sweepHighDeciHz) / 20;
    default:
      return program.frequencyDeciHz / 10;
  }
}
