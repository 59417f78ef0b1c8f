/**
 * Ring buffers of delivered current and voltage per channel for the live plot. Deliberately plain
 * typed arrays, not reactive state: at 1 kHz per channel, per-sample reactivity would cost the main
 * thread (and so the stop path) far more than the plot's once-per-frame read.
 */
import type { TelemetryMessage } from '../../../firmware-protocol/src/index.ts';

export class ChannelRing {
  readonly timeS: Float64Array;
  readonly currentMa: Float32Array;
  readonly voltageV: Float32Array;
  /** Index of the next write. */
  head = 0;
  /** Samples stored (≤ capacity). */
  size = 0;
  /** Bumped on every push so a reader can skip redraws when nothing arrived. */
  version = 0;

  readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
    this.timeS = new Float64Array(capacity);
    this.currentMa = new Float32Array(capacity);
    this.voltageV = new Float32Array(capacity);
  }

  push(timeS: number, currentUa: number, voltageMv: number): void {
    const i = this.head;
    this.timeS[i] = timeS;
    this.currentMa[i] = currentUa / 1000;
    this.voltageV[i] = voltageMv / 1000;
    this.head = (i + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Copy the stored samples, oldest first, into the given arrays (each ≥ size long); returns size. */
  copyOrdered(time: Float64Array, current: Float64Array, voltage: Float64Array): number {
    const start = (this.head - this.size + this.capacity) % this.capacity;
    for (let k = 0; k < this.size; k++) {
      const i = (start + k) % this.capacity;
      time[k] = this.timeS[i]!;
      current[k] = this.currentMa[i]!;
      voltage[k] = this.voltageV[i]!;
    }
    return this.size;
  }

  /**
   * Copy the stored samples oldest first, reduced to at most 2·`buckets` points: each bucket keeps its
   * minimum and maximum current (in time order), so peaks and dropouts stay visible at plot resolution
   * while the plot draws a few thousand points instead of ten thousand. Voltage follows the kept samples.
   */
  copyDecimated(buckets: number, time: Float64Array, current: Float64Array, voltage: Float64Array): number {
    if (this.size <= 2 * buckets) return this.copyOrdered(time, current, voltage);
    const start = (this.head - this.size + this.capacity) % this.capacity;
    const per = this.size / buckets;
    let n = 0;
    for (let b = 0; b < buckets; b++) {
      const from = Math.floor(b * per);
      const to = Math.floor((b + 1) * per);
      let lo = from;
      let hi = from;
      for (let k = from; k < to; k++) {
        const v = this.currentMa[(start + k) % this.capacity]!;
        if (v < this.currentMa[(start + lo) % this.capacity]!) lo = k;
        if (v > this.currentMa[(start + hi) % this.capacity]!) hi = k;
      }
      for (const k of lo <= hi ? [lo, hi] : [hi, lo]) {
        const i = (start + k) % this.capacity;
        time[n] = this.timeS[i]!;
        current[n] = this.currentMa[i]!;
        voltage[n] = this.voltageV[i]!;
        n++;
      }
    }
    return n;
  }

  /** Load impedance seen by the latest sample, Ω (V / I at the pulse peak), or null with no current. */
  get latestImpedanceOhm(): number | null {
    if (this.size === 0) return null;
    const i = (this.head - 1 + this.capacity) % this.capacity;
    const ma = this.currentMa[i]!;
    return ma > 0.05 ? (this.voltageV[i]! / ma) * 1000 : null;
  }

  /** Latest sample's current, mA (0 when empty). */
  get latestCurrentMa(): number {
    return this.size === 0 ? 0 : this.currentMa[(this.head - 1 + this.capacity) % this.capacity]!;
  }
}

export class TelemetryBuffer {
  readonly channels: ChannelRing[];

  /** `seconds` of history at `rateHz` per channel. */
  constructor(channelCount: number, seconds = 10, rateHz = 1000) {
    this.channels = Array.from({ length: channelCount }, () => new ChannelRing(seconds * rateHz));
  }

  push(message: TelemetryMessage): void {
    const ring = this.channels[message.channel];
    if (!ring) return;
    const t0 = message.firstSampleMs / 1000;
    const dt = message.sampleIntervalUs / 1e6;
    const samples = message.samples;
    for (let k = 0; k < samples.length; k++) {
      const s = samples[k]!;
      ring.push(t0 + k * dt, s.currentUa, s.voltageMv);
    }
    ring.version++;
  }

  clear(): void {
    for (const r of this.channels) {
      r.head = 0;
      r.size = 0;
      r.version++;
    }
  }
}
