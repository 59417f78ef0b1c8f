/**
 * PROTOCOL.md § 12.3: ESTOP is answered ACK, then FAULT estop (all channels), then STATUS with every
 * channel idle at 0 mA at once (no ramp); the fault stays latched (START refused faultLatched) until
 * CLEAR_FAULT, after which nothing resumes by itself. With TELEMETRY, no sample after the ESTOP carries
 * current.
 */
import { ALL_CHANNELS, FAULT_CODES, type BoardMessage } from '../../../../firmware-protocol/src/index.ts';
import { describeMessage } from '../BoardLink.ts';
import { expectAck, resetBoard, safeProgram, startAndHold, statusText, type CheckContext } from '../context.ts';
import { currentAfter } from './telemetry.ts';
import { Findings, type Check } from './Check.ts';

export const estopCheck: Check = {
  id: 'estop.latch',
  title: 'ESTOP drops every channel to 0 mA at once and stays latched until cleared',
  async run(ctx: CheckContext) {
    const f = new Findings();
    const { link, info } = ctx;
    await resetBoard(ctx);
    const channels = info.caps.channelCount;
    for (let c = 0; c < channels; c++) {
      const p = safeProgram(info, c);
      expectAck(await link.request({ type: 'setProgram', program: p }), `SET_PROGRAM channel ${c + 1}`);
    }
    for (let c = 0; c < channels - 1; c++) expectAck(await link.request({ type: 'start', channel: c }), `START channel ${c + 1}`);
    await startAndHold(ctx, safeProgram(info, channels - 1));
    const mark = link.mark();
    const { seq, sentAtMs } = await link.send({ type: 'estop' });
    const status = await link.waitFor((m) => m.type === 'status' && m.replyTo === 0 && m.fault === 'estop', mark);
    const frames: BoardMessage[] = link.since(mark).filter((m) => m.type !== 'telemetry');
    const ackAt = frames.findIndex((m) => m.type === 'ack' && m.replyTo === seq);
    const faultAt = frames.findIndex((m) => m.type === 'fault' && m.code === 'estop');
    const statusAt = status ? frames.indexOf(status.message) : -1;
    f.expect(ackAt >= 0 && faultAt > ackAt && statusAt > faultAt, `ESTOP answered ${frames.map(describeMessage).join(', ') || 'nothing'} (expected ACK, then FAULT estop, then STATUS)`);
    const fault = frames[faultAt];
    f.expect(fault?.type === 'fault' && fault.channel === ALL_CHANNELS, 'FAULT estop does not name every channel (0xFF)');
    const ackRecv = link.received.find((r) => r.message.type === 'ack' && r.message.replyTo === seq);
    const ackMs = ackRecv ? ackRecv.atMs - sentAtMs : Number.NaN;
    if (status?.message.type === 'status') {
      const s = status.message;
      f.expect(s.channels.length === channels && s.channels.every((c) => c.state === 'idle' && c.amplitudeUa === 0 && c.targetUa === 0), `STATUS after ESTOP: ${statusText(s)} (expected every channel idle at 0 mA)`);
    }
    await link.hold(300);
    const latched = await link.status();
    f.expect(latched.fault === 'estop' && latched.channels.every((c) => c.amplitudeUa === 0), `300 ms later: ${statusText(latched)} (expected fault estop latched, 0 mA)`);
    const start = await link.request({ type: 'start', channel: 0 });
    f.expect(start.type === 'nack' && start.code === 'faultLatched' && start.value === FAULT_CODES.estop, `START while latched answered ${describeMessage(start)} (expected NACK faultLatched, value ${FAULT_CODES.estop})`);
    const again = await link.exchange({ type: 'estop' });
    f.expect(again.reply?.type === 'ack', `a second ESTOP answered ${describeMessage(again.reply)} (expected ACK)`);
    const clearMark = link.mark();
    expectAck(await link.request({ type: 'clearFault' }), 'CLEAR_FAULT');
    const cleared = await link.waitFor((m) => m.type === 'status' && m.replyTo === 0 && m.fault === null, clearMark);
    f.expect(cleared !== null, 'no STATUS after CLEAR_FAULT (expected an unsolicited STATUS with no fault)');
    await link.hold(200);
    const after = await link.status();
    f.expect(after.fault === null && after.channels.every((c) => c.state === 'idle' && c.amplitudeUa === 0), `200 ms after CLEAR_FAULT: ${statusText(after)} (expected every channel still idle: nothing resumes)`);
    if (status?.message.type === 'status' && info.telemetryRateHz > 0) {
      const live = currentAfter(link, status.message.uptimeMs, latched.uptimeMs);
      f.expect(live.length === 0, `TELEMETRY shows current after the ESTOP: ${live.slice(0, 3).join(', ')}`);
    }
    await resetBoard(ctx);
    return f.verdict(`ACK ${Number.isFinite(ackMs) ? Math.round(ackMs * 10) / 10 : '—'} ms after the ESTOP was written; ${channels} channels to 0 mA`, 'ACK, FAULT, STATUS in order; all channels 0 mA; latched until CLEAR_FAULT; nothing resumed');
  },
};
