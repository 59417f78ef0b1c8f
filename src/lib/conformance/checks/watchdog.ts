/**
 * PROTOCOL.md § 12.2: with no valid frame for watchdogMs the board cuts every channel to 0 mA at once,
 * latches fault watchdog and says FAULT watchdog (all channels) then STATUS. Not before watchdogMs after
 * the last valid frame, and not later than the stated margin; frames that are dropped (bad CRC, cut
 * short) or malformed (NACKed badLength) do not feed it.
 *
 * The trip time is measured on the suite's clock from the moment the last valid frame's write began to
 * the moment the FAULT was decoded: the board received that frame after the write began, so a board
 * that trips on time can never look early; link and host delays can only make it look later (which the
 * late margin allows for).
 */
import { ALL_CHANNELS } from '../../../../firmware-protocol/src/index.ts';
import { describeMessage } from '../BoardLink.ts';
import { expectAck, resetBoard, safeProgram, startAndHold, statusText, type CheckContext } from '../context.ts';
import { badCrcHeartbeat, badLengthStart, truncatedHeartbeat } from '../frames.ts';
import { currentAfter } from './telemetry.ts';
import { Findings, type Check, type Verdict } from './Check.ts';

/** The measured trip times of this run, ms (also read by benches that repeat the check). */
export const watchdogTrips: number[] = [];

async function tripAfterSilence(ctx: CheckContext, corrupt: boolean): Promise<Verdict> {
  const f = new Findings();
  const { link, info } = ctx;
  const period = info.watchdogMs;
  await resetBoard(ctx);
  await startAndHold(ctx, safeProgram(info, 0));
  expectAck(await link.request({ type: 'heartbeat' }), 'HEARTBEAT');
  const lastValid = link.lastValidSentAtMs;
  const mark = link.mark();
  const deadline = lastValid + period + ctx.tolerances.watchdogLateMs + 500;
  let junk = 0;
  let fault = null as Awaited<ReturnType<typeof link.waitFor>>;
  while (link.timer.now() < deadline && !fault) {
    fault = await link.waitFor((m) => m.type === 'fault' && m.code === 'watchdog', mark, corrupt ? 40 : deadline - link.timer.now());
    if (!fault && corrupt && link.timer.now() < deadline) {
      const seq = link.nextSeq();
      const kind = junk % 3;
      await link.write(kind === 0 ? badCrcHeartbeat(seq) : kind === 1 ? truncatedHeartbeat(seq) : badLengthStart(seq), false);
      junk++;
    }
  }
  if (!fault) {
    f.expect(false, `no FAULT watchdog within ${Math.round(deadline - lastValid)} ms of silence${corrupt ? ` (${junk} corrupt or malformed frames sent meanwhile)` : ''}`);
    await resetBoard(ctx);
    return f.verdict('did not trip', '');
  }
  const tripMs = fault.atMs - lastValid;
  watchdogTrips.push(tripMs);
  const trip = `${Math.round(tripMs * 10) / 10} ms`;
  f.expect(tripMs >= period - ctx.tolerances.watchdogEarlyMs, `tripped ${trip} after the last valid frame: too early (watchdog ${period} ms)`);
  f.expect(tripMs <= period + ctx.tolerances.watchdogLateMs, `tripped ${trip} after the last valid frame: later than ${period} + ${ctx.tolerances.watchdogLateMs} ms`);
  const m = fault.message;
  f.expect(m.type === 'fault' && m.channel === ALL_CHANNELS, `FAULT watchdog names channel ${m.type === 'fault' ? m.channel : '?'} (expected all, 0xFF)`);
  const status = await link.waitFor((x) => x.type === 'status' && x.replyTo === 0 && x.fault === 'watchdog', mark);
  if (f.expect(status !== null, 'no STATUS after FAULT watchdog') && status?.message.type === 'status') {
    const s = status.message;
    f.expect(s.channels.every((c) => c.state === 'idle' && c.amplitudeUa === 0), `STATUS after the trip: ${statusText(s)} (expected every channel idle at 0 mA)`);
    await link.hold(250);
    const latched = await link.status();
    f.expect(latched.fault === 'watchdog' && latched.channels.every((c) => c.amplitudeUa === 0), `250 ms later: ${statusText(latched)} (expected fault watchdog latched, 0 mA)`);
    const start = await link.request({ type: 'start', channel: 0 });
    f.expect(start.type === 'nack' && start.code === 'faultLatched', `START after the trip answered ${describeMessage(start)} (expected NACK faultLatched)`);
    if (info.telemetryRateHz > 0) {
      const live = currentAfter(link, s.uptimeMs, latched.uptimeMs);
      f.expect(live.length === 0, `TELEMETRY shows current after the trip: ${live.slice(0, 3).join(', ')}`);
    }
  }
  const detail = m.type === 'fault' ? m.detail : 0;
  await resetBoard(ctx);
  const junkText = corrupt ? `, ${junk} corrupt or malformed frames sent meanwhile` : '';
  return f.verdict(`tripped ${trip} after the last valid frame (board says ${detail} ms${junkText})`, `within ${period - ctx.tolerances.watchdogEarlyMs}–${period + ctx.tolerances.watchdogLateMs} ms; all channels 0 mA; latched`);
}

export const watchdogCheck: Check = {
  id: 'watchdog.trip',
  title: 'With no valid frame for its watchdog period (500 ms) the board stops every channel and latches a fault, not before',
  run: (ctx) => tripAfterSilence(ctx, false),
};

export const watchdogCorruptCheck: Check = {
  id: 'watchdog.corrupt-frames',
  title: 'Corrupt, cut-short and malformed frames do not keep the watchdog from tripping',
  run: (ctx) => tripAfterSilence(ctx, true),
};
