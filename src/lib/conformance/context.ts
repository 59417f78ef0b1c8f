/**
 * What every check gets: the link, the board's INFO, the tolerances, and helpers to put the board in a
 * known state with small, slow, conforming programs (a few mA, ramps of a few hundred ms) so a run on a
 * real clock stays short and nothing strong is ever asked of an output stage.
 */
import {
  ALL_CHANNELS,
  MAX_SLEW_UA_PER_S,
  MODE_LIMITS,
  type BoardMessage,
  type InfoMessage,
  type Program,
  type StatusMessage,
} from '../../../firmware-protocol/src/index.ts';
import { BoardLink, describeMessage } from './BoardLink.ts';
import { CheckFailure, type ConformanceOptions, type ConformanceTolerances } from './types.ts';

export interface CheckContext {
  link: BoardLink;
  info: InfoMessage;
  tolerances: ConformanceTolerances;
  options: ConformanceOptions;
}

/** Fastest rise the board may play: its cap, never above the protocol's 10 mA/s. */
export function slewUaPerS(info: InfoMessage): number {
  return Math.min(info.caps.maxSlewUaPerS, MAX_SLEW_UA_PER_S);
}

/** Amplitude the suite stimulates with, µA: 2 mA, or less on a board whose cap is lower. */
export function testAmplitudeUa(info: InfoMessage): number {
  return Math.min(2_000, info.caps.maxAmplitudeUa);
}

/** A conventional program well inside the mode table and the board's caps. */
export function safeProgram(info: InfoMessage, channel: number, overrides: Partial<Program> = {}): Program {
  const table = MODE_LIMITS.conventional;
  const amplitudeUa = overrides.amplitudeUa ?? testAmplitudeUa(info);
  const frequencyDeciHz = Math.min(Math.max(1_000, info.caps.minFrequencyDeciHz, table.frequencyDeciHz.min), info.caps.maxFrequencyDeciHz, table.frequencyDeciHz.max);
  const pulseWidthUs = Math.min(200, info.caps.maxPulseWidthUs, table.pulseWidthUs.max);
  return {
    channel,
    mode: 'conventional',
    waveform: 'symmetric-biphasic',
    frequencyDeciHz,
    pulseWidthUs,
    amplitudeUa,
    durationMs: 600_000,
    rampUpMs: Math.ceil((amplitudeUa * 1000) / slewUaPerS(info)),
    rampDownMs: 200,
    burstPulses: 0,
    burstFrequencyDeciHz: 0,
    sweepHighDeciHz: 0,
    sweepPeriodMs: 0,
    ...overrides,
  };
}

export function expectAck(reply: BoardMessage, what: string): void {
  if (reply.type !== 'ack') throw new CheckFailure(`${what}: answered ${describeMessage(reply)} (expected ACK)`);
}

/** ESTOP then CLEAR_FAULT: every channel idle at 0, no fault. The suite's way back to a known state. */
export async function resetBoard(ctx: CheckContext): Promise<void> {
  expectAck(await ctx.link.request({ type: 'estop' }), 'ESTOP (putting the board in a known state)');
  expectAck(await ctx.link.request({ type: 'clearFault' }), 'CLEAR_FAULT (putting the board in a known state)');
  const status = await ctx.link.status();
  if (status.fault !== null || status.channels.some((c) => c.state !== 'idle' || c.amplitudeUa !== 0)) {
    throw new CheckFailure(`after ESTOP and CLEAR_FAULT the board reports ${statusText(status)} (expected no fault, every channel idle at 0 mA)`);
  }
}

/** Store and START `program`, then wait (heartbeating) until its channel holds the amplitude. */
export async function startAndHold(ctx: CheckContext, program: Program): Promise<StatusMessage> {
  expectAck(await ctx.link.request({ type: 'setProgram', program }), `SET_PROGRAM channel ${program.channel + 1}`);
  expectAck(await ctx.link.request({ type: 'start', channel: program.channel }), `START channel ${program.channel + 1}`);
  await ctx.link.hold(program.rampUpMs + 20);
  for (let i = 0; i < 50; i++) {
    const status = await ctx.link.status();
    const ch = status.channels.find((c) => c.channel === program.channel);
    if (ch?.state === 'holding') return status;
    await ctx.link.hold(20);
  }
  throw new CheckFailure(`channel ${program.channel + 1} never reached "holding" after START (ramp ${program.rampUpMs} ms)`);
}

export async function stopAll(ctx: CheckContext): Promise<void> {
  expectAck(await ctx.link.request({ type: 'stop', channel: ALL_CHANNELS }), 'STOP all channels');
}

export function mA(ua: number): string {
  return `${(ua / 1000).toFixed(ua % 1000 === 0 ? 0 : 3)} mA`;
}

export function statusText(s: StatusMessage): string {
  const channels = s.channels.map((c) => `channel ${c.channel + 1} ${c.state} at ${mA(c.amplitudeUa)}`).join(', ');
  return `fault ${s.fault ?? 'none'}; ${channels || 'no channels'}`;
}
