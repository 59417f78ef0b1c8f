/**
 * Text for record values, always with units. Wire values stay integers in the record; only what is
 * shown is converted (µA → mA, 0.1 Hz → Hz, ms → s/min/h). Dates are local time, written
 * YYYY-MM-DD HH:MM:SS so they sort and read the same in every locale.
 */
import type { Program } from '../../../../firmware-protocol/src/index.ts';
import { formatHz, formatMa } from '../../format.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatDate(wallMs: number): string {
  const d = new Date(wallMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function formatWallTime(wallMs: number): string {
  const d = new Date(wallMs);
  return `${formatDate(wallMs)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Wall time with milliseconds, for the events timeline (commands and their ACKs are ms apart). */
export function formatWallTimeMs(wallMs: number): string {
  return `${formatWallTime(wallMs)}.${pad(new Date(wallMs).getMilliseconds(), 3)}`;
}

/** A span of time in words with units: "1 h 02 min", "12 min 05 s", "45 s", "0.35 s". */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 10_000 && ms % 1000 !== 0) return `${(ms / 1000).toFixed(2)} s`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const min = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  if (h > 0) return `${h} h ${pad(min)} min`;
  if (min > 0) return `${min} min ${pad(s)} s`;
  return `${s} s`;
}

/** Seconds since the session's first monotonic timestamp, "+12.345 s". */
export function formatOffset(ms: number): string {
  return `+${(ms / 1000).toFixed(3)} s`;
}

/** Charge in µC: two decimals below 10, one below 1000, then whole µC with thousands separators. */
export function formatCharge(chargeUc: number): string {
  if (chargeUc < 10) return `${chargeUc.toFixed(2)} µC`;
  if (chargeUc < 1000) return `${chargeUc.toFixed(1)} µC`;
  return `${Math.round(chargeUc).toLocaleString('en-US')} µC`;
}

export function formatChannel(channel: number): string {
  // The wire's ALL_CHANNELS (0xFF) addresses every channel at once.
  return channel === 0xff ? 'all channels' : `channel ${channel + 1}`;
}

export interface ValueRow {
  label: string;
  value: string;
}

/** A program as labelled rows, each value with its unit; burst and sweep rows only in their modes. */
export function programRows(p: Program): ValueRow[] {
  const rows: ValueRow[] = [
    { label: 'Channel', value: String(p.channel + 1) },
    { label: 'Mode', value: p.mode },
    { label: 'Waveform', value: p.waveform },
    { label: p.mode === 'burst' ? 'Burst rate' : p.mode === 'modulated' ? 'Sweep low' : 'Frequency', value: formatHz(p.frequencyDeciHz) },
  ];
  if (p.mode === 'burst') {
    rows.push({ label: 'Pulses per burst', value: `${p.burstPulses} pulses` });
    rows.push({ label: 'Rate inside a burst', value: formatHz(p.burstFrequencyDeciHz) });
  }
  if (p.mode === 'modulated') {
    rows.push({ label: 'Sweep high', value: formatHz(p.sweepHighDeciHz) });
    rows.push({ label: 'Sweep period', value: `${p.sweepPeriodMs / 1000} s` });
  }
  rows.push(
    { label: 'Pulse width (per phase)', value: `${p.pulseWidthUs} µs` },
    { label: 'Amplitude (target or ceiling, peak)', value: formatMa(p.amplitudeUa) },
    { label: 'Duration (ramps included)', value: formatSpan(p.durationMs) },
    { label: 'Ramp up', value: `${p.rampUpMs / 1000} s` },
    { label: 'Ramp down', value: `${p.rampDownMs / 1000} s` },
  );
  return rows;
}

/** A program in one line, for the events timeline. */
export function programLine(p: Program): string {
  const extra =
    p.mode === 'burst'
      ? `, ${p.burstPulses} pulses at ${formatHz(p.burstFrequencyDeciHz)}`
      : p.mode === 'modulated'
        ? ` to ${formatHz(p.sweepHighDeciHz)} over ${p.sweepPeriodMs / 1000} s`
        : '';
  return `${p.mode} ${formatHz(p.frequencyDeciHz)}${extra}, ${p.pulseWidthUs} µs, ${formatMa(p.amplitudeUa)}, ${formatSpan(p.durationMs)} (ramps ${p.rampUpMs / 1000} s / ${p.rampDownMs / 1000} s), ${formatChannel(p.channel)}`;
}
