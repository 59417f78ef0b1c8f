/**
 * What the client knows about each channel: its run state (from STATUS and ACKs) and the program the
 * board verifiably holds (stored only after an ACK whose echo matched what was sent). start() and
 * setAmplitude() need a verified program, so the client never starts something it has not checked.
 */
import type { ChannelState, ChannelStatus, Program } from '../../../firmware-protocol/src/index.ts';

export class ChannelBook {
  readonly #states = new Map<number, ChannelState>();
  readonly #programs = new Map<number, Program>();

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
    for (const c of channels) this.#states.set(c.channel, c.state);
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
  /** Longest ramp-down among channels that are not idle, ms. */
  longestActiveRampDownMs(): number {
    let ms = 0;
    for (const [channel, state] of this.#states) if (state !== 'idle') ms = Math.max(ms, this.#programs.get(channel)?.rampDownMs ?? 0);
    return ms;
  }
  clear(): void {
    this.#states.clear();
    this.#programs.clear();
  }
}
