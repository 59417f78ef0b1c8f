/**
 * Every golden vector's message (messages.json), written to the board byte for byte, is answered as
 * PROTOCOL.md § 4 and § 11 say: requests exactly once with the reply type of their row (ACK echoing
 * the program or amplitude, INFO, STATUS, IMPEDANCE, or a NACK naming the request), and board → host
 * types sent to the board NACKed badEnum with their type code as value.
 */
import { TYPE_CODES, validateProgram, type BoardMessage, type HostMessage, type MessageType } from '../../../../firmware-protocol/src/index.ts';
import { describeMessage, isReply } from '../BoardLink.ts';
import { expectAck, resetBoard, safeProgram, type CheckContext } from '../context.ts';
import { MESSAGE_VECTORS, fromHex } from '../vectors.ts';
import { Findings, type Check } from './Check.ts';

/** PROTOCOL.md § 4 "reply" column. */
const REPLY_TYPES: Record<string, readonly MessageType[]> = {
  hello: ['info', 'nack'],
  getInfo: ['info'],
  setProgram: ['ack', 'nack'],
  start: ['ack', 'nack'],
  stop: ['ack', 'nack'],
  setAmplitude: ['ack', 'nack'],
  estop: ['ack'],
  clearFault: ['ack'],
  heartbeat: ['ack'],
  measureImpedance: ['impedance', 'nack'],
  getStatus: ['status'],
};

function judgeRequest(ctx: CheckContext, m: HostMessage, reply: BoardMessage): string | null {
  const allowed = REPLY_TYPES[m.type]!;
  if (!allowed.includes(reply.type)) return `answered ${describeMessage(reply)} (expected ${allowed.join(' or ').toUpperCase()})`;
  if (reply.type === 'nack' && reply.rejectedType !== m.type) return `NACK names ${reply.rejectedType} (expected ${m.type})`;
  if (reply.type === 'ack') {
    if (reply.ackedType !== m.type) return `ACK names ${reply.ackedType} (expected ${m.type})`;
    const wantKind = m.type === 'setProgram' ? 'program' : m.type === 'setAmplitude' ? 'amplitude' : 'none';
    if (reply.echo.kind !== wantKind) return `ACK echo kind ${reply.echo.kind} (expected ${wantKind})`;
    if (m.type === 'setProgram' && reply.echo.kind === 'program' && JSON.stringify(reply.echo.program) !== JSON.stringify(m.program)) return 'the echoed program differs from the one sent';
    if (m.type === 'setAmplitude' && reply.echo.kind === 'amplitude' && (reply.echo.amplitudeUa !== m.amplitudeUa || reply.echo.channel !== m.channel)) return 'the echoed amplitude differs from the one sent';
  }
  if (m.type === 'hello' && reply.type === 'info' && reply.protocolVersion !== 1) return `INFO says version ${reply.protocolVersion} (expected 1)`;
  if (m.type === 'setProgram') {
    // A program in the vectors is refused only if the mode table or this board's caps refuse it.
    const inRange = m.program.channel < ctx.info.caps.channelCount && validateProgram(m.program, { caps: ctx.info.caps }).ok;
    if (inRange && reply.type !== 'ack') return `a program within the mode table and this board's caps was refused: ${describeMessage(reply)}`;
    if (!inRange && reply.type !== 'nack') return 'a program outside this board\'s caps was accepted';
  }
  return null;
}

export const vectorRequestsCheck: Check = {
  id: 'vectors.requests',
  title: 'Every golden-vector message is answered once, as the protocol specifies',
  async run(ctx: CheckContext) {
    const f = new Findings();
    await resetBoard(ctx);
    let answered = 0;
    for (const v of MESSAGE_VECTORS) {
      const isRequest = TYPE_CODES[v.message.type] < 0x80;
      // The vectors' programs go up to 50 mA: before the START vector, its channel gets the suite's own
      // 2 mA program, so the START is still answered as specified but nothing strong is played.
      if (v.message.type === 'start' && v.message.channel < ctx.info.caps.channelCount) {
        expectAck(await ctx.link.request({ type: 'setProgram', program: safeProgram(ctx.info, v.message.channel) }), 'SET_PROGRAM before the START vector');
      }
      const mark = ctx.link.mark();
      await ctx.link.write(fromHex(v.hex), isRequest);
      const got = await ctx.link.waitFor((m) => isReply(m) && m.replyTo === v.message.seq, mark);
      if (!got) {
        f.expect(false, `${v.name}: no reply`);
        continue;
      }
      answered++;
      if (isRequest) {
        const problem = judgeRequest(ctx, v.message as HostMessage, got.message);
        f.expect(problem === null, `${v.name}: ${problem}`);
      } else {
        const r = got.message;
        f.expect(
          r.type === 'nack' && r.code === 'badEnum' && r.field === 'none' && r.value === TYPE_CODES[v.message.type] && r.rejectedType === v.message.type,
          `${v.name} sent to the board: answered ${describeMessage(r)} (expected NACK badEnum, field none, value ${TYPE_CODES[v.message.type]})`,
        );
      }
      // Exactly once: a second reply to the same seq would show up before the next marker's reply.
      const marker = await ctx.link.exchange({ type: 'getStatus' });
      const replies = ctx.link.since(mark).filter((m) => isReply(m) && m.replyTo === v.message.seq);
      f.expect(replies.length === 1, `${v.name}: answered ${replies.length} times (expected once)`);
      if (!marker.reply) f.expect(false, `${v.name}: the board stopped answering afterwards`);
    }
    await resetBoard(ctx);
    return f.verdict(`${answered} of ${MESSAGE_VECTORS.length} vectors answered`, 'every vector answered once with the reply its type specifies');
  },
};
