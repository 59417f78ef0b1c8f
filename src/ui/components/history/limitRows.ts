/**
 * A record's effective limits as rows: each bound with its unit and the rule that set it (mode table,
 * board cap, lab cap, ...), so a reader sees what bound the session and why.
 */
import type { Bound, BoundRange, EffectiveLimits, LabCap } from '../../../../firmware-protocol/src/index.ts';
import type { BindingBound } from '../../../lib/session/bindingLimit.ts';
import { sourceLabel } from '../limitLabels.ts';

export interface LimitRow {
  label: string;
  min: string;
  max: string;
}

const bound = (b: Bound | BindingBound, fmt: (v: number) => string) => `${fmt(b.value)} (${sourceLabel(b.source)}: ${b.reason})`;

function range(label: string, r: BoundRange | undefined, fmt: (v: number) => string): LimitRow[] {
  return r ? [{ label, min: bound(r.min, fmt), max: bound(r.max, fmt) }] : [];
}

const hz = (v: number) => `${v / 10} Hz`;
const us = (v: number) => `${v} µs`;
const ma = (v: number) => `${(v / 1000).toFixed(1)} mA`;
const s = (v: number) => `${v / 1000} s`;
const min = (v: number) => (v >= 60_000 ? `${v / 60_000} min` : `${v / 1000} s`);

export function limitRows(l: EffectiveLimits): LimitRow[] {
  return [
    ...range('Frequency', l.frequencyDeciHz, hz),
    ...range('Pulse width (per phase)', l.pulseWidthUs, us),
    ...range('Amplitude (peak)', l.amplitudeUa, ma),
    ...range('Session length', l.durationMs, min),
    ...range('Ramp down', l.rampDownMs, s),
    ...range('Pulses per burst', l.burstPulses, (v) => `${v} pulses`),
    ...range('Rate inside a burst', l.burstFrequencyDeciHz, hz),
    ...range('Sweep period', l.sweepPeriodMs, s),
    { label: 'Slew rate', min: '—', max: bound(l.slewUaPerS, (v) => `${v / 1000} mA/s`) },
    ...(l.burstMaxTrainMs ? [{ label: 'Burst train length', min: '—', max: bound(l.burstMaxTrainMs, (v) => `${v} ms`) }] : []),
    { label: 'Highest channel', min: '—', max: bound(l.channelMax, (v) => `channel ${v + 1}`) },
  ];
}

export { bound as formatBound };

/** A lab cap in words with units, or "none". */
export function labCapText(cap: LabCap | null): string {
  if (!cap) return 'none';
  const parts: string[] = [];
  if (cap.maxAmplitudeUa !== undefined) parts.push(`amplitude ≤ ${ma(cap.maxAmplitudeUa)}`);
  if (cap.maxFrequencyDeciHz !== undefined) parts.push(`frequency ≤ ${hz(cap.maxFrequencyDeciHz)}`);
  if (cap.maxPulseWidthUs !== undefined) parts.push(`pulse width ≤ ${us(cap.maxPulseWidthUs)}`);
  if (cap.maxDurationMs !== undefined) parts.push(`session ≤ ${min(cap.maxDurationMs)}`);
  if (cap.maxCurrentDensityUaPerCm2 !== undefined) parts.push(`current density ≤ ${(cap.maxCurrentDensityUaPerCm2 / 1000).toFixed(2)} mA/cm² (override, recorded)`);
  return parts.length ? parts.join(', ') : 'none';
}
