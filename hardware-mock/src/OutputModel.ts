/**
 * The output stage: the board's sample clock driving every channel (ChannelModel: amplitude envelope,
 * pulse train, electrode–skin load with compliance clipping, dose; TelemetryCapture: the batch in hand).
 *
 * Time is sampled on one fixed grid (`sampleIntervalUs`, from the telemetry rate) starting when the board
 * was built. `advanceTo(t)` computes every sample up to t in closed form — no timer per sample — so the
 * board's tick can run hours in seconds, and any event (a frame, a fault) first brings the samples up to
 * its own instant and only then changes the plan: samples before an ESTOP show the old output, none after.
 *
 * Per sample and channel: delivered current I = min(envelope, compliance limit), reported as an integer µA
 * (what TELEMETRY carries; onSample sees the same numbers); voltage at the end of the primary phase
 * V = I·(Rs + Rp·(1 − e^(−pw/(Rp·C)))) in mV; the dose adds the sample interval to activeMs when I > 0,
 * I·Δt to the amplitude integral, and for each pulse that fired in the interval its primary-phase charge
 * I·pw (and the balancing phase's −I/d·d·pw to netChargeNc, which therefore stays 0: no net DC).
 */
import { CHANNEL_STATES, type ChannelState, type ChannelStatus, type Program, type TelemetrySample } from '../../firmware-protocol/src/index.ts';
import { ChannelModel, HOLDING, IDLE, type BoardDose } from './ChannelModel.ts';
import type { LoadModel } from './ElectrodeLoad.ts';

export type { BoardDose } from './ChannelModel.ts';

export type SampleListener = (channel: number, atMs: number, currentUa: number, voltageMv: number) => void;

export interface TelemetryBatch {
  channel: number;
  /** Clock time of the first sample, ms. */
  firstSampleAtMs: number;
  samples: TelemetrySample[];
}

export interface OutputModelOptions {
  channelCount: number;
  sampleIntervalUs: number;
  complianceMv: number;
  load: LoadModel;
  originMs: number;
  /** Capture samples for TELEMETRY. */
  telemetry: boolean;
  /** A channel changed state at a sample (ramp finished, ramp-down began, max duration reached). */
  onStateChange: (channel: number, state: ChannelState, atMs: number) => void;
  /** A channel's telemetry buffer is full (MAX_TELEMETRY_SAMPLES): take it now. */
  onTelemetryFull: (channel: number) => void;
}

export class OutputModel {
  readonly #channels: ChannelModel[];
  readonly #intervalUs: number;
  readonly #intervalMs: number;
  readonly #originMs: number;
  readonly #telemetry: boolean;
  readonly #onStateChange: OutputModelOptions['onStateChange'];
  readonly #onTelemetryFull: OutputModelOptions['onTelemetryFull'];
  readonly #listeners: SampleListener[] = [];
  /** Index of the next sample on the grid. */
  #nextIndex = 1;

  constructor(options: OutputModelOptions) {
    this.#channels = Array.from({ length: options.channelCount }, () => new ChannelModel(options.load, options.complianceMv));
    this.#intervalUs = options.sampleIntervalUs;
    this.#intervalMs = options.sampleIntervalUs / 1000;
    this.#originMs = options.originMs;
    this.#telemetry = options.telemetry;
    this.#onStateChange = options.onStateChange;
    this.#onTelemetryFull = options.onTelemetryFull;
  }

  get sampleIntervalUs(): number {
    return this.#intervalUs;
  }

  onSample(listener: SampleListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  /** Clock time of grid sample `k`, ms. */
  #atOf(k: number): number {
    return this.#originMs + (k * this.#intervalUs) / 1000;
  }

  /**
   * Compute every sample due at or before `tMs`.
   *
   * Two paths, same results. While nobody listens to samples, a span of samples in which no channel
   * changes state is done channel by channel in bulk (constant current while holding, so telemetry is a
   * fill and the dose a product): a few ns per sample, which is what lets 12 h simulate in seconds.
   * Channel states only ever move forward (ramping-up → holding → ramping-down → idle) under a fixed
   * plan, so equal states at both ends of a span mean no change inside it. Spans with a change, and
   * every span while onSample listeners exist, go sample by sample in time order.
   */
  advanceTo(tMs: number): void {
    if (this.#listeners.length > 0) {
      this.#eachSample(tMs);
      return;
    }
    const channels = this.#channels;
    for (;;) {
      const k0 = this.#nextIndex;
      const at0 = this.#atOf(k0);
      if (at0 > tMs) return;
      let k1 = k0 + Math.floor(((tMs - at0) * 1000) / this.#intervalUs);
      while (this.#atOf(k1) > tMs) k1--;
      while (this.#atOf(k1 + 1) <= tMs) k1++;
      const at1 = this.#atOf(k1);
      let uniform = true;
      for (let c = 0; c < channels.length && uniform; c++) {
        const env = channels[c]!.env;
        if (!env.running) continue;
        const first = env.sample(at0);
        uniform = first === channels[c]!.reportedState && env.sample(at1) === first;
      }
      if (!uniform) {
        this.#eachSample(at1);
        continue;
      }
      this.#nextIndex = k1 + 1;
      for (let c = 0; c < channels.length; c++) {
        const ch = channels[c]!;
        if (ch.env.running) this.#bulkRunning(c, ch, k0, k1);
        else if (this.#telemetry && ch.telemetry.wanted) this.#capture(c, ch, at0, k1 - k0 + 1, 0, 0);
      }
    }
  }

  /** Samples [k0, k1] of a running channel whose state does not change inside the span. */
  #bulkRunning(c: number, ch: ChannelModel, k0: number, k1: number): void {
    const env = ch.env;
    const at0 = this.#atOf(k0);
    const state = env.sample(at0);
    if (state !== IDLE) ch.telemetry.activeThisBatch = true;
    if (state !== HOLDING) {
      for (let k = k0; k <= k1; k++) this.#sample(c, ch, this.#atOf(k));
      return;
    }
    // Holding: one current for the whole span.
    const currentUa = ch.delivered(env.level);
    const n = k1 - k0 + 1;
    ch.account(currentUa, n, this.#intervalMs, this.#atOf(k1));
    if (this.#telemetry) this.#capture(c, ch, at0, n, currentUa, ch.voltageMv(currentUa));
  }

  /** Append `n` equal samples starting at `at0` to the channel's telemetry, handing over full buffers. */
  #capture(c: number, ch: ChannelModel, at0: number, n: number, currentUa: number, voltageMv: number): void {
    const k0 = this.#indexOf(at0);
    let done = 0;
    while (done < n) {
      done += ch.telemetry.fill(done === 0 ? at0 : this.#atOf(k0 + done), n - done, currentUa, voltageMv);
      if (ch.telemetry.full) this.#onTelemetryFull(c);
    }
  }

  /** Grid index of a sample time produced by #atOf. */
  #indexOf(at: number): number {
    return Math.round(((at - this.#originMs) * 1000) / this.#intervalUs);
  }

  /** Sample by sample, every channel at each instant, in time order, up to `tMs`. */
  #eachSample(tMs: number): void {
    const channels = this.#channels;
    const everyChannel = this.#listeners.length > 0;
    for (;;) {
      const k = this.#nextIndex;
      const at = this.#atOf(k);
      if (at > tMs) return;
      this.#nextIndex = k + 1;
      for (let c = 0; c < channels.length; c++) {
        const ch = channels[c]!;
        // An idle channel nobody watches and no telemetry waits for costs nothing.
        if (!ch.env.running && !everyChannel && !ch.telemetry.wanted) continue;
        this.#sample(c, ch, at);
      }
    }
  }

  #sample(c: number, ch: ChannelModel, at: number): void {
    let currentUa = 0;
    let voltageMv = 0;
    const env = ch.env;
    if (env.running) {
      const state = env.sample(at);
      currentUa = ch.delivered(env.level);
      voltageMv = ch.voltageMv(currentUa);
      if (state !== ch.reportedState) {
        // The listener reports it (and normally marks it reported through syncStates); make sure either way.
        this.#onStateChange(c, CHANNEL_STATES[state]!, at);
        ch.reportedState = state;
        if (state === IDLE && ch.program) ch.finish();
      }
      ch.account(currentUa, 1, this.#intervalMs, at);
      if (state !== IDLE) ch.telemetry.activeThisBatch = true;
    }
    if (this.#telemetry && (env.running || ch.telemetry.wanted) && ch.telemetry.push(at, currentUa, voltageMv)) this.#onTelemetryFull(c);
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(c, at, currentUa, voltageMv);
  }

  #channel(c: number): ChannelModel {
    const ch = this.#channels[c];
    if (!ch) throw new RangeError(`channel ${c} does not exist (board has ${this.#channels.length})`);
    return ch;
  }

  /** START: the caller has brought the samples up to `nowMs`. */
  start(c: number, program: Program, nowMs: number, slewUaPerS: number): void {
    this.#channel(c).start(program, nowMs, slewUaPerS);
  }

  setTarget(c: number, targetUa: number, nowMs: number, slewUaPerS: number): void {
    this.#channel(c).env.setTarget(nowMs, targetUa, slewUaPerS);
  }

  stop(c: number, nowMs: number): void {
    this.#channel(c).env.stop(nowMs);
  }

  /** Every channel to 0 at once. */
  cutAll(): void {
    for (const ch of this.#channels) if (ch.env.running) ch.finish();
  }

  /** Hold every channel at its present level (frozen firmware). */
  freezeAll(nowMs: number): void {
    for (const ch of this.#channels) ch.env.freeze(nowMs);
  }

  setLoad(c: number, load: LoadModel): void {
    this.#channel(c).setLoad(load);
  }

  load(c: number): LoadModel {
    return this.#channel(c).load;
  }

  /** The program the channel is playing (null when idle). */
  activeProgram(c: number): Program | null {
    return this.#channel(c).program;
  }

  stateAt(c: number, tMs: number): ChannelState {
    return this.#channel(c).env.stateAt(tMs);
  }

  /** Delivered peak current at `tMs` (≥ the last change), after compliance clipping, µA. */
  deliveredUa(c: number, tMs: number): number {
    const ch = this.#channel(c);
    return ch.env.running ? ch.delivered(ch.env.levelAt(tMs)) : 0;
  }

  status(c: number, tMs: number): ChannelStatus {
    const ch = this.#channel(c);
    const state = ch.env.stateAt(tMs);
    return {
      channel: c,
      state,
      amplitudeUa: this.deliveredUa(c, tMs),
      targetUa: state === 'idle' ? 0 : Math.round(ch.env.targetAt(tMs)),
      elapsedMs: state === 'idle' ? 0 : Math.floor(tMs - ch.env.startAtMs),
    };
  }

  /** Mark each channel's state at `tMs` as reported; true if any differs from what was last reported. */
  syncStates(tMs: number): boolean {
    let changed = false;
    for (const ch of this.#channels) {
      const state = ch.env.sample(tMs);
      if (state !== ch.reportedState) {
        ch.reportedState = state;
        if (state === IDLE && ch.program) ch.finish();
        changed = true;
      }
    }
    return changed;
  }

  dose(c: number): BoardDose {
    return { ...this.#channel(c).dose };
  }

  /**
   * Take the channel's captured samples for a TELEMETRY frame (null when none). `endOfBatch` closes the
   * batch period (the board's tick). `reuse`: see TelemetryCapture.take.
   */
  takeTelemetry(c: number, endOfBatch: boolean, reuse = false): TelemetryBatch | null {
    const ch = this.#channel(c);
    const batch = ch.telemetry.take(reuse);
    if (endOfBatch) ch.telemetry.endBatch(ch.env.running);
    return batch ? { channel: c, ...batch } : null;
  }

  /** Drop captured telemetry (frozen or reset firmware sends none). */
  discardTelemetry(): void {
    for (const ch of this.#channels) ch.telemetry.discard();
  }
}
