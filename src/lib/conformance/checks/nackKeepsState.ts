/**
 * "A NACK never changes the board's state" (PROTOCOL.md § 9, § 11) while a channel runs: an
 * out-of-range SET_AMPLITUDE, a SET_PROGRAM and a START on the busy channel, and a SET_AMPLITUDE on a
 * channel that does not exist are refused, and the running channel keeps its amplitude and target.
 */
import { MODE_LIMITS } from '../../../../firmware-protocol/src/index.ts';
import { describeMessage } from '../BoardLink.ts';
import { mA, resetBoard, safeProgram, startAndHold, statusText, type CheckContext } from '../context.ts';
import { Findings, type Check } from './Check.ts';

export const nackKeepsStateCheck: Check = {
  id: 'nack.keeps-state',
  title: 'A refused request leaves the running program exactly as it was',
  async run(ctx: CheckContext) {
    const f = new Findings();
    const { link, info } = ctx;
    await resetBoard(ctx);
    const program = safeProgram(info, 0);
    const before = (await startAndHold(ctx, program)).channels[0]!;
    const tooHigh = Math.min(MODE_LIMITS.conventional.maxAmplitudeUa, info.caps.maxAmplitudeUa) + 1;
    const r1 = await link.request({ type: 'setAmplitude', channel: 0, amplitudeUa: tooHigh });
    f.expect(r1.type === 'nack' && r1.field === 'amplitudeUa' && (r1.code === 'outOfRange' || r1.code === 'rmsCurrent'), `SET_AMPLITUDE ${mA(tooHigh)} answered ${describeMessage(r1)} (expected NACK outOfRange, field amplitudeUa)`);
    const r2 = await link.request({ type: 'setProgram', program: { ...program, amplitudeUa: program.amplitudeUa - 500 } });
    f.expect(r2.type === 'nack' && r2.code === 'busy', `SET_PROGRAM on the running channel answered ${describeMessage(r2)} (expected NACK busy)`);
    const r3 = await link.request({ type: 'start', channel: 0 });
    f.expect(r3.type === 'nack' && r3.code === 'busy', `a second START answered ${describeMessage(r3)} (expected NACK busy)`);
    const r4 = await link.request({ type: 'setAmplitude', channel: info.caps.channelCount, amplitudeUa: 1000 });
    f.expect(r4.type === 'nack' && r4.code === 'badChannel', `SET_AMPLITUDE on channel ${info.caps.channelCount + 1} answered ${describeMessage(r4)} (expected NACK badChannel)`);
    await link.hold(100);
    const after = await link.status();
    const ch = after.channels[0]!;
    f.expect(ch.state === 'holding' && ch.amplitudeUa === before.amplitudeUa && ch.targetUa === before.targetUa, `after the refusals: ${statusText(after)} (expected channel 1 holding at ${mA(before.amplitudeUa)})`);
    await resetBoard(ctx);
    return f.verdict(`channel 1 at ${mA(ch.amplitudeUa)} after 4 refusals (was ${mA(before.amplitudeUa)})`, 'all four refused; amplitude and target unchanged');
  },
};
