/**
 * What the client knows about each channel: its run state (from STATUS and ACKs) and the program the
 * board verifiably holds (stored only after an ACK whose echo matched what was sent). start() and
 * setAmplitude() need a verified program, so the client never starts something it has not checked.
 */
import type { ChannelState, ChannelStatus, Program } from '../../../firmware-protocol/src/index.ts';

export class ChannelBook {
  readonly #states = new Map<number, ChannelState>();
  readonly #programs = new Map<number, Program>();
  /** Last electrode impedance the board measured on each channel (MEASURE_IMPEDANCE), Ω. */
  readonly #loadOhm = new Map<number, number>();
  /** Amplitude each channel is heading to (STATUS targetUa, or the last acknowledged SET_AMPLITUDE), µA. */
  readonly #targetUa = new Map<number, number>();

  anyActive(): boolean {
    for (const s of this.#states.values()) if (s !== 'idle') return true;
    return false;
  }
  state(channel: number): ChannelState {
    return this.#states.get(channel) ?? 'idle';
  }
  setState(channel: number, state: ChannelState): void {
    this.#states.set(channel, state);
  }
  applyStatus(channels: readonly ChannelStatus[]): void {
    for (const c of channels) {
      this.#states.set(c.channel, c.state);
      this.#targetUa.set(c.channel, c.targetUa);
    }
  }
  /** The amplitude `channel` is heading to, µA (0 when unknown or idle). */
  target(channel: number): number {
    return this.state(channel) === 'idle' ? 0 : (this.#targetUa.get(channel) ?? 0);
  }
  setTarget(channel: number, amplitudeUa: number): void {
    this.#targetUa.set(channel, amplitudeUa);
  }
  allIdle(): void {
    for (const c of this.#states.keys()) this.#states.set(c, 'idle');
  }

  program(channel: number): Program | null {
    return this.#programs.get(channel) ?? null;
  }
  setProgram(program: Program): void {
    this.#programs.set(program.channel, program);
  }
  /** The board may hold something else now (timeout, mismatch, reset): forget what we thought. */
  forgetProgram(channel: number): void {
    this.#programs.delete(channel);
  }
  forgetPrograms(): void {
    this.#programs.clear();
  }
  /** The last measured load of `channel`, Ω, or null when it was never measured on this connection. */
  load(channel: number): number | null {
    return this.#loadOhm.get(channel) ?? null;
  }
  setLoad(channel: number, impedanceOhm: number): void {
    this.#loadOhm.set(channel, impedanceOhm);
  }
  /** Longest ramp-down among channels that are not idle, ms. */
  longestActiveRampDownMs(): number {
    let ms = 0;
    for (const [channel, state] of this.#states) if (state !== 'idle') ms = Math.max(ms, this.#programs.get(channel)?.rampDownMs ?? 0);
    return ms;
  }
  clear(): void {
    this.#states.clear();
    this.#programs.clear();
    this.#loadOhm.clear();
    this.#targetUa.clear();
  }
}
