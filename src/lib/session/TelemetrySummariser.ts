/**
 * Turns one channel's TELEMETRY batches (1 kHz by default) into per-second min/mean/max summaries,
 * 60 seconds to a chunk, and the delivered dose. Time is the board's own clock (firstSampleMs +
 * k·sampleInterval), so host jitter never shifts a sample into the wrong second. Pure: no storage here;
 * the recorder decides when chunks are written.
 */
import type { Program, TelemetryMessage } from '../../../firmware-protocol/src/index.ts';
import { pulsesUpTo } from './pulseCount.ts';
import { meanPulseRateHz } from './pulseRateHz.ts';
import { SUMMARY_CHUNK_SECONDS, type ChannelDose, type SummaryChunk } from './recordTypes.ts';

/** A chunk's content without its storage key (the recorder adds recordId and index). */
export type ChunkData = Omit<SummaryChunk, 'recordId' | 'index'> & {
  /** Chunk number: session seconds [chunkNo·60, chunkNo·60 + 60). */
  chunkNo: number;
};

class ChunkBuilder {
  readonly min = new Int32Array(SUMMARY_CHUNK_SECONDS);
  readonly max = new Int32Array(SUMMARY_CHUNK_SECONDS);
  readonly sum = new Float64Array(SUMMARY_CHUNK_SECONDS);
  readonly n = new Uint16Array(SUMMARY_CHUNK_SECONDS);
  readonly active = new Uint16Array(SUMMARY_CHUNK_SECONDS);
  seconds = 0;
  readonly chunkNo: number;
  readonly boardStartMs: number;
  constructor(
    chunkNo: number,
    boardStartMs: number,
  ) {
    this.chunkNo = chunkNo;
    this.boardStartMs = boardStartMs;
  }

  add(second: number, currentUa: number): void {
    const s = second - this.chunkNo * SUMMARY_CHUNK_SECONDS;
    if (this.n[s] === 0) {
      this.min[s] = currentUa;
      this.max[s] = currentUa;
    } else {
      if (currentUa < (this.min[s] as number)) this.min[s] = currentUa;
      if (currentUa > (this.max[s] as number)) this.max[s] = currentUa;
    }
    this.sum[s] = (this.sum[s] as number) + currentUa;
    this.n[s] = (this.n[s] as number) + 1;
    if (currentUa > 0) this.active[s] = (this.active[s] as number) + 1;
    if (s + 1 > this.seconds) this.seconds = s + 1;
  }

  snapshot(channel: number, sampleIntervalUs: number): ChunkData {
    const mean = new Int32Array(SUMMARY_CHUNK_SECONDS);
    for (let s = 0; s < this.seconds; s++) {
      const n = this.n[s] as number;
      mean[s] = n > 0 ? Math.round((this.sum[s] as number) / n) : 0;
    }
    return {
      channel,
      chunkNo: this.chunkNo,
      firstSecond: this.chunkNo * SUMMARY_CHUNK_SECONDS,
      boardStartMs: this.boardStartMs,
      seconds: this.seconds,
      minUa: this.min.slice(),
      meanUa: mean,
      maxUa: this.max.slice(),
      samples: this.n.slice(),
      activeSamples: this.active.slice(),
      sampleIntervalUs,
    };
  }
}

export class TelemetrySummariser {
  readonly channel: number;
  #originUs: number | null = null;
  #lastUs = -Infinity;
  #secondOffset = 0;
  #chunk: ChunkBuilder | null = null;
  #sampleIntervalUs = 0;
  #pulseWidthUs = 0;
  #rateHz = 0;
  #program: Program | null = null;
  /** Board time of the present run's START, ms (null: unknown, so the mean pulse rate is used). */
  #runOriginMs: number | null = null;
  // Dose accumulators.
  #samples = 0;
  #activeSamples = 0;
  #activeUs = 0;
  #integralUaUs = 0;
  #chargePc = 0;
  #peakUa = 0;

  constructor(channel: number, program: Program | null = null) {
    this.channel = channel;
    if (program) this.setProgram(program);
  }

  /** The program being played: its pulse width and pulse timing turn the current envelope into charge. */
  setProgram(program: Program): void {
    this.#program = program;
    this.#pulseWidthUs = program.pulseWidthUs;
    this.#rateHz = meanPulseRateHz(program);
    this.#runOriginMs = null;
  }

  /**
   * The board time of this run's START (from a STATUS: uptimeMs − elapsedMs). From then on the charge
   * counts the program's actual pulses in each sample, as the board does, instead of the mean rate.
   */
  startRun(startBoardMs: number): void {
    this.#runOriginMs = startBoardMs;
  }

  /**
   * Add one TELEMETRY batch of this channel. Returns the chunks that were completed by it (a chunk is
   * complete when a sample of a later minute arrives); the recorder writes them.
   */
  add(message: TelemetryMessage): ChunkData[] {
    if (message.channel !== this.channel) return [];
    const completed: ChunkData[] = [];
    const intervalUs = message.sampleIntervalUs;
    this.#sampleIntervalUs = intervalUs;
    const startUs = message.firstSampleMs * 1000;
    const chargePerUaUs = this.#pulseWidthUs * this.#rateHz; // pC per (µA · s), scaled below
    for (let k = 0; k < message.samples.length; k++) {
      const sample = message.samples[k];
      if (!sample) continue;
      const current = sample.currentUa;
      let tUs = startUs + k * intervalUs;
      if (this.#originUs === null) this.#originUs = tUs;
      if (tUs < this.#lastUs) {
        // The board's clock went backwards (a reset): continue the session seconds after the last one.
        this.#secondOffset = Math.floor((this.#lastUs - this.#originUs) / 1e6) + 1 + this.#secondOffset;
        this.#originUs = tUs;
      }
      this.#lastUs = tUs;
      tUs -= this.#originUs;
      const second = Math.floor(tUs / 1e6) + this.#secondOffset;
      const chunkNo = Math.floor(second / SUMMARY_CHUNK_SECONDS);
      if (!this.#chunk || this.#chunk.chunkNo !== chunkNo) {
        if (this.#chunk) completed.push(this.#chunk.snapshot(this.channel, intervalUs));
        // Board time at the start of the chunk's first second.
        const boardStartUs = this.#originUs + (chunkNo * SUMMARY_CHUNK_SECONDS - this.#secondOffset) * 1e6;
        this.#chunk = new ChunkBuilder(chunkNo, boardStartUs / 1000);
      }
      this.#chunk.add(second, current);
      // Dose: every sample stands for one sample interval of delivery.
      this.#samples++;
      if (current > 0) {
        this.#activeSamples++;
        this.#activeUs += intervalUs;
        this.#integralUaUs += current * intervalUs;
        if (this.#runOriginMs !== null && this.#program) {
          const tRunMs = (startUs + k * intervalUs) / 1000 - this.#runOriginMs;
          const fired = pulsesUpTo(this.#program, tRunMs) - pulsesUpTo(this.#program, tRunMs - intervalUs / 1000);
          this.#chargePc += current * this.#pulseWidthUs * fired;
        } else this.#chargePc += (current * intervalUs * chargePerUaUs) / 1e6;
        if (current > this.#peakUa) this.#peakUa = current;
      }
    }
    return completed;
  }

  /** Session seconds summarised so far (end of the chunk being filled); cheap, for flush decisions. */
  get secondsSoFar(): number {
    return this.#chunk ? this.#chunk.chunkNo * SUMMARY_CHUNK_SECONDS + this.#chunk.seconds : 0;
  }

  /** The chunk being filled, as it stands (null before the first sample). */
  currentChunk(): ChunkData | null {
    return this.#chunk ? this.#chunk.snapshot(this.channel, this.#sampleIntervalUs) : null;
  }

  dose(): ChannelDose {
    return {
      channel: this.channel,
      activeMs: this.#activeUs / 1000,
      amplitudeIntegralUaMs: this.#integralUaUs / 1000,
      // pC → µC
      chargeUc: this.#chargePc / 1e6,
      peakUa: this.#peakUa,
      samples: this.#samples,
      sampleIntervalUs: this.#sampleIntervalUs,
    };
  }
}
