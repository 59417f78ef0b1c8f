/**
 * PROTOCOL.md § 2 and § 14 at the board: a frame with a bad CRC, one cut short, an over-long run of
 * bytes without a delimiter, garbage, and unknown type codes get no answer and change nothing; the board
 * answers the next good request. Counted where the board's counters are visible.
 */
import { MAX_ENCODED_FRAME_BYTES, type DropCounters } from '../../../../firmware-protocol/src/index.ts';
import { describeMessage, isReply } from '../BoardLink.ts';
import { resetBoard, statusText, type CheckContext } from '../context.ts';
import { badCrcHeartbeat, craftFrame, truncatedHeartbeat } from '../frames.ts';
import { Findings, type Check } from './Check.ts';

export const framesDroppedCheck: Check = {
  id: 'frames.dropped',
  title: 'Frames with a bad CRC, cut short, too long or of unknown type are dropped silently and counted',
  async run(ctx: CheckContext) {
    const f = new Findings();
    const { link } = ctx;
    await resetBoard(ctx);
    const before = ctx.options.dropCounters ? await ctx.options.dropCounters() : null;
    const overLong = new Uint8Array(MAX_ENCODED_FRAME_BYTES + 20).fill(0x41);
    const bad: [string, Uint8Array][] = [
      ['bad CRC', badCrcHeartbeat(link.nextSeq())],
      ['cut short', truncatedHeartbeat(link.nextSeq())],
      ['over-long (no delimiter for 1049 bytes)', Uint8Array.from([...overLong, 0])],
      ['unknown host type 0x7F', craftFrame(0x7f, link.nextSeq())],
      ['unknown board type 0xFE', craftFrame(0xfe, link.nextSeq())],
      ['garbage', Uint8Array.of(0x13, 0x37, 0xff, 0x00)],
    ];
    const mark = link.mark();
    for (const [, bytes] of bad) await link.write(bytes, false);
    const status = await link.exchange({ type: 'getStatus' });
    const said = link.since(mark).filter((m) => isReply(m) && m.replyTo !== status.seq);
    f.expect(said.length === 0, `the board answered dropped frames: ${said.map(describeMessage).join(', ')}`);
    if (f.expect(status.reply?.type === 'status', `the next GET_STATUS was answered with ${describeMessage(status.reply)} (expected STATUS)`) && status.reply?.type === 'status') {
      const s = status.reply;
      f.expect(s.fault === null && s.channels.every((c) => c.state === 'idle'), `state changed: ${statusText(s)}`);
    }
    let counted = 'drop counters not visible over the wire';
    if (before && ctx.options.dropCounters) {
      const after: DropCounters = await ctx.options.dropCounters();
      const total = (d: DropCounters) => d.crc + d.cobs + d.length + d.unknownType + d.version + d.malformed;
      const n = total(after) - total(before);
      counted = `${n} drops counted`;
      f.expect(n === bad.length, `the board counted ${n} dropped frames (expected ${bad.length})`);
      f.expect(after.unknownType - before.unknownType === 2, `unknown-type drops counted ${after.unknownType - before.unknownType} (expected 2)`);
      f.expect(after.length - before.length >= 1, 'the over-long frame was not counted as a length drop');
    }
    return f.verdict(`${bad.length} bad frames, ${said.length} answered; ${counted}`, 'no answer to any, state unchanged, next request answered');
  },
};
