/**
 * PROTOCOL.md § 12.4, maximum-duration stop: a session ends by itself, idle at 0 mA, exactly durationMs
 * after START (ramp-down included), with no fault. Measured on the board's clock: START time is any
 * running STATUS's uptimeMs − elapsedMs; the end is the uptime of the first STATUS that shows it idle.
 */
import { MIN_DURATION_MS, type StatusMessage } from '../../../../firmware-protocol/src/index.ts';
import { expectAck, resetBoard, safeProgram, statusText, type CheckContext } from '../context.ts';
import { Findings, type Check } from './Check.ts';

export const durationCheck: Check = {
  id: 'session.max-duration',
  title: 'A session stops by itself at its maximum duration, without a fault',
  async run(ctx: CheckContext) {
    const f = new Findings();
    const { link, info } = ctx;
    await resetBoard(ctx);
    const program = safeProgram(info, 0, { amplitudeUa: Math.min(1_000, info.caps.maxAmplitudeUa), durationMs: MIN_DURATION_MS, rampDownMs: 100 });
    expectAck(await link.request({ type: 'setProgram', program }), 'SET_PROGRAM');
    const mark = link.mark();
    expectAck(await link.request({ type: 'start', channel: 0 }), 'START');
    let startUptime: number | null = null;
    let endUptime: number | null = null;
    let last: StatusMessage | null = null;
    const deadline = link.timer.now() + program.durationMs + ctx.tolerances.durationLateMs + 1_000;
    // GET_STATUS every 50 ms keeps the watchdog fed; unsolicited STATUS frames (replyTo 0) are read too.
    let seen = mark;
    while (endUptime === null && link.timer.now() < deadline) {
      await link.status();
      for (; seen < link.received.length; seen++) {
        const m = link.received[seen]!.message;
        if (m.type !== 'status') continue;
        last = m;
        const ch = m.channels[0]!;
        if (ch.state !== 'idle') startUptime ??= m.uptimeMs - ch.elapsedMs;
        else if (startUptime !== null) {
          endUptime = m.uptimeMs;
          break;
        }
      }
      if (endUptime === null) await link.hold(50);
    }
    if (startUptime === null || endUptime === null) {
      f.expect(false, `the session did not end by itself within ${program.durationMs + ctx.tolerances.durationLateMs + 1_000} ms (last: ${last ? statusText(last) : 'no STATUS'})`);
      await resetBoard(ctx);
      return f.verdict('no end seen', '');
    }
    const lastingMs = endUptime - startUptime;
    f.expect(lastingMs >= program.durationMs - 1, `output stopped after ${lastingMs} ms (expected ${program.durationMs} ms: not before)`);
    f.expect(lastingMs <= program.durationMs + ctx.tolerances.durationLateMs, `output stopped after ${lastingMs} ms (expected by ${program.durationMs} + ${ctx.tolerances.durationLateMs} ms)`);
    const final = await link.status();
    f.expect(final.fault === null && final.channels[0]!.amplitudeUa === 0 && final.channels[0]!.state === 'idle', `after the end: ${statusText(final)} (expected idle at 0 mA, no fault)`);
    await resetBoard(ctx);
    return f.verdict(`session of ${program.durationMs} ms ended after ${lastingMs} ms (board clock)`, 'ended by itself, idle at 0 mA, no fault');
  },
};
