/**
 * PROTOCOL.md § 12.4: every rise is a ramp no faster than the slew limit (the smaller of the board's
 * maxSlewUaPerS and 10 mA/s), at START and on a SET_AMPLITUDE increase; a SET_AMPLITUDE decrease is
 * immediate. Rates are measured on the board's own clock: amplitude and uptime from two STATUS replies.
 */
import type { StatusMessage } from '../../../../firmware-protocol/src/index.ts';
import { describeMessage } from '../BoardLink.ts';
import { expectAck, mA, resetBoard, safeProgram, slewUaPerS, type CheckContext } from '../context.ts';
import { Findings, type Check } from './Check.ts';

/** Fastest rise seen between consecutive STATUS samples of channel 0, µA/s; the allowance is one ms of uptime rounding and 1 µA. */
function fastestRise(samples: StatusMessage[], slew: number): { rateUaPerS: number; over: boolean } {
  let rate = 0;
  let over = false;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const dt = b.uptimeMs - a.uptimeMs;
    const rise = b.channels[0]!.amplitudeUa - a.channels[0]!.amplitudeUa;
    if (dt <= 0 || rise <= 0) continue;
    rate = Math.max(rate, (rise * 1000) / dt);
    if (rise > (slew * (dt + 1)) / 1000 + 1) over = true;
  }
  return { rateUaPerS: rate, over };
}

async function sampleRise(ctx: CheckContext, untilUa: number, maxMs: number): Promise<StatusMessage[]> {
  const samples: StatusMessage[] = [];
  const start = ctx.link.timer.now();
  while (ctx.link.timer.now() - start < maxMs) {
    const s = await ctx.link.status();
    samples.push(s);
    if (s.channels[0]!.amplitudeUa >= untilUa) break;
    await ctx.link.hold(20);
  }
  return samples;
}

export const slewCheck: Check = {
  id: 'amplitude.slew',
  title: 'Amplitude rises no faster than the slew limit, and drops at once when lowered',
  async run(ctx: CheckContext) {
    const f = new Findings();
    const { link, info } = ctx;
    const slew = slewUaPerS(info);
    await resetBoard(ctx);
    const low = Math.min(1_000, info.caps.maxAmplitudeUa);
    const high = Math.min(3_000, info.caps.maxAmplitudeUa);
    // The program's own ramp is the slowest the rules allow: START must follow it, not jump.
    const program = safeProgram(info, 0, { amplitudeUa: low, rampUpMs: Math.ceil((low * 1000) / slew) });
    expectAck(await link.request({ type: 'setProgram', program }), 'SET_PROGRAM');
    expectAck(await link.request({ type: 'start', channel: 0 }), 'START');
    const startRise = fastestRise(await sampleRise(ctx, low, program.rampUpMs + 500), slew);
    f.expect(!startRise.over, `after START the output rose at ${Math.round(startRise.rateUaPerS)} µA/s (limit ${slew} µA/s)`);
    f.expect(await holding(ctx), 'channel 1 never reached "holding" after its START ramp');
    const up = await link.request({ type: 'setAmplitude', channel: 0, amplitudeUa: high });
    f.expect(up.type === 'ack' && up.echo.kind === 'amplitude' && up.echo.amplitudeUa === high, `SET_AMPLITUDE ${mA(high)} answered ${describeMessage(up)} (expected ACK echoing ${mA(high)})`);
    const rise = await sampleRise(ctx, high, ((high - low) * 1000) / slew + 1_000);
    const r = fastestRise(rise, slew);
    f.expect(!r.over, `after SET_AMPLITUDE the output rose at ${Math.round(r.rateUaPerS)} µA/s (limit ${slew} µA/s)`);
    const first = rise[0]!.channels[0]!;
    f.expect(first.amplitudeUa < high, `the first STATUS after SET_AMPLITUDE ${mA(high)} already shows ${mA(first.amplitudeUa)} (a step, not a ramp)`);
    f.expect(rise[rise.length - 1]!.channels[0]!.amplitudeUa === high, `the output never reached ${mA(high)} (last ${mA(rise[rise.length - 1]!.channels[0]!.amplitudeUa)})`);
    const down = await link.request({ type: 'setAmplitude', channel: 0, amplitudeUa: low });
    expectAck(down, `SET_AMPLITUDE ${mA(low)}`);
    const afterDown = (await link.status()).channels[0]!;
    f.expect(afterDown.amplitudeUa === low && afterDown.targetUa === low, `right after lowering to ${mA(low)} the output is ${mA(afterDown.amplitudeUa)} (expected an immediate drop)`);
    await resetBoard(ctx);
    const fastest = Math.round(Math.max(startRise.rateUaPerS, r.rateUaPerS));
    return f.verdict(`fastest rise ${fastest} µA/s (limit ${slew} µA/s); drop to ${mA(afterDown.amplitudeUa)} at once`, 'ramps within the slew limit; decrease immediate');
  },
};

/** Wait until channel 1 holds (after the START ramp sampled above). */
async function holding(ctx: CheckContext): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if ((await ctx.link.status()).channels[0]!.state === 'holding') return true;
    await ctx.link.hold(20);
  }
  return false;
}
