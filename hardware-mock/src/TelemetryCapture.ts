/**
 * One channel's samples waiting for their TELEMETRY frame, and the rule for which batches are sent:
 * every batch in which the channel ran, plus one more after it went idle, so the host sees the output
 * reach 0 (PROTOCOL.md § 12.5). Typed arrays hold the batch; sample objects are made (or reused) only
 * when a frame is taken.
 */
import { MAX_TELEMETRY_SAMPLES, type TelemetrySample } from '../../firmware-protocol/src/index.ts';

export interface CapturedBatch {
  /** Clock time of the first sample, ms. */
  firstSampleAtMs: number;
  samples: TelemetrySample[];
}

export class TelemetryCapture {
  count = 0;
  firstAtMs = 0;
  /** Some sample of this batch period saw the channel running. */
  activeThisBatch = false;
  /** The previous batch period saw it running: this one is sent too. */
  trailing = false;
  readonly #currents = new Int32Array(MAX_TELEMETRY_SAMPLES);
  readonly #voltages = new Int32Array(MAX_TELEMETRY_SAMPLES);
  readonly #pool: TelemetrySample[] = Array.from({ length: MAX_TELEMETRY_SAMPLES }, () => ({ currentUa: 0, voltageMv: 0 }));
  readonly #pooledByLength: (TelemetrySample[] | undefined)[] = [];

  /** Whether samples of an idle channel are still wanted (its last batch, or the one after). */
  get wanted(): boolean {
    return this.activeThisBatch || this.trailing;
  }

  /** Add one sample; true when the buffer is now full and must be taken. */
  push(atMs: number, currentUa: number, voltageMv: number): boolean {
    const n = this.count;
    if (n === 0) this.firstAtMs = atMs;
    this.#currents[n] = currentUa;
    this.#voltages[n] = voltageMv;
    this.count = n + 1;
    return n + 1 === MAX_TELEMETRY_SAMPLES;
  }

  /** Add up to `n` equal samples from `atMs` on; returns how many fitted before the buffer filled. */
  fill(atMs: number, n: number, currentUa: number, voltageMv: number): number {
    const count = this.count;
    if (count === 0) this.firstAtMs = atMs;
    const fitted = Math.min(n, MAX_TELEMETRY_SAMPLES - count);
    this.#currents.fill(currentUa, count, count + fitted);
    this.#voltages.fill(voltageMv, count, count + fitted);
    this.count = count + fitted;
    return fitted;
  }

  get full(): boolean {
    return this.count === MAX_TELEMETRY_SAMPLES;
  }

  /**
   * The samples in hand as a frame's worth (null when none), emptying the buffer. With `reuse` the
   * sample objects come from a pool and are overwritten by the next take: for a message that is encoded
   * at once and kept by nobody.
   */
  take(reuse: boolean): CapturedBatch | null {
    const n = this.count;
    if (n === 0) return null;
    let samples: TelemetrySample[];
    if (reuse) {
      samples = this.#pooledByLength[n] ??= this.#pool.slice(0, n);
      for (let i = 0; i < n; i++) {
        const s = samples[i]!;
        s.currentUa = this.#currents[i]!;
        s.voltageMv = this.#voltages[i]!;
      }
    } else {
      samples = new Array<TelemetrySample>(n);
      for (let i = 0; i < n; i++) samples[i] = { currentUa: this.#currents[i]!, voltageMv: this.#voltages[i]! };
    }
    this.count = 0;
    return { firstSampleAtMs: this.firstAtMs, samples };
  }

  /** A batch period ended (the board's tick). */
  endBatch(running: boolean): void {
    this.trailing = this.activeThisBatch;
    this.activeThisBatch = running;
  }

  discard(): void {
    this.count = 0;
    this.activeThisBatch = false;
    this.trailing = false;
  }
}
