/**
 * programs-invalid.json at the board: each program the board must refuse (mode table + its own caps),
 * written as raw SET_PROGRAM bytes, is NACKed with the right code and one of the vector's fields; each
 * program only the host may refuse (lab cap, electrode area) is accepted and echoed. Vectors that assume
 * caps this board does not have are left out and counted. A refusal leaves the stored program intact:
 * afterwards START plays the program stored before the refusals.
 */
import { CRC_BYTES, HEADER_BYTES, PROGRAM_BYTES, TYPE_CODES, type BoardCaps, type NackCode } from '../../../../firmware-protocol/src/index.ts';
import { describeMessage } from '../BoardLink.ts';
import { expectAck, resetBoard, safeProgram, testAmplitudeUa, mA, type CheckContext } from '../context.ts';
import { reframe } from '../frames.ts';
import { PROGRAM_VECTORS, fromHex, type ProgramVector } from '../vectors.ts';
import { Findings, type Check } from './Check.ts';

function rawSetProgram(seq: number, programHex: string): Uint8Array {
  const raw = new Uint8Array(HEADER_BYTES + PROGRAM_BYTES + CRC_BYTES);
  const view = new DataView(raw.buffer);
  view.setUint8(0, 1);
  view.setUint8(1, TYPE_CODES.setProgram);
  view.setUint16(2, seq, true);
  raw.set(fromHex(programHex), HEADER_BYTES);
  return reframe(raw);
}

/** The vector applies when every cap it assumes is this board's cap. */
function applies(v: ProgramVector, caps: BoardCaps): boolean {
  return Object.entries(v.context.caps ?? {}).every(([k, value]) => caps[k as keyof BoardCaps] === value);
}

export function allowedCodes(field: string): NackCode[] {
  if (field === 'channel') return ['badChannel'];
  if (field === 'mode' || field === 'waveform') return ['badEnum'];
  if (field === 'amplitudeUa') return ['outOfRange', 'rmsCurrent', 'chargePerPhase'];
  return ['outOfRange'];
}

export const programsRefusedCheck: Check = {
  id: 'programs.refused',
  title: 'Every program the board must refuse is refused with the right code and field, and changes nothing',
  async run(ctx: CheckContext) {
    const f = new Findings();
    const { link, info } = ctx;
    await resetBoard(ctx);
    const usable = PROGRAM_VECTORS.filter((v) => v.programHex !== undefined && applies(v, info.caps));
    const skipped = PROGRAM_VECTORS.filter((v) => v.programHex !== undefined).length - usable.length;
    // Host-only refusals first: the board accepts them (and stores them), so they go before the baseline.
    for (const v of usable.filter((x) => !x.board.refuses)) {
      const mark = link.mark();
      const seq = link.nextSeq();
      await link.write(rawSetProgram(seq, v.programHex!), true);
      const r = (await link.waitFor((m) => 'replyTo' in m && m.replyTo === seq, mark))?.message ?? null;
      const fits = v.program.channel < info.caps.channelCount;
      if (fits) f.expect(r?.type === 'ack' && r.echo.kind === 'program' && JSON.stringify(r.echo.program) === JSON.stringify(v.program), `${v.name}: answered ${describeMessage(r)} (expected ACK echoing the program: only the host knows its lab cap or electrode area)`);
      else f.expect(r?.type === 'nack' && r.code === 'badChannel', `${v.name}: answered ${describeMessage(r)} (expected NACK badChannel on this ${info.caps.channelCount}-channel board)`);
    }
    const channels = info.caps.channelCount;
    const baseline = Array.from({ length: channels }, (_, c) => safeProgram(info, c));
    for (const p of baseline) expectAck(await link.request({ type: 'setProgram', program: p }), `SET_PROGRAM baseline channel ${p.channel + 1}`);
    let refused = 0;
    for (const v of usable.filter((x) => x.board.refuses)) {
      const mark = link.mark();
      const seq = link.nextSeq();
      await link.write(rawSetProgram(seq, v.programHex!), true);
      const r = (await link.waitFor((m) => 'replyTo' in m && m.replyTo === seq, mark))?.message ?? null;
      const fields = v.program.channel >= channels ? ['channel'] : v.board.fields;
      if (r?.type === 'nack' && fields.includes(r.field) && allowedCodes(r.field).includes(r.code) && r.rejectedType === 'setProgram') refused++;
      else f.expect(false, `${v.name}: answered ${describeMessage(r)} (expected NACK naming ${fields.join(' or ')})`);
    }
    // The refusals kept each channel's stored program: START plays the baseline amplitude.
    for (const p of baseline) {
      expectAck(await link.request({ type: 'start', channel: p.channel }), `START channel ${p.channel + 1} after the refusals`);
    }
    const status = await link.status();
    for (const p of baseline) {
      const ch = status.channels.find((c) => c.channel === p.channel);
      f.expect(ch?.targetUa === testAmplitudeUa(info), `channel ${p.channel + 1} started towards ${ch ? mA(ch.targetUa) : 'nothing'} (expected the stored ${mA(p.amplitudeUa)}: a refused program replaced it)`);
    }
    await resetBoard(ctx);
    const n = usable.filter((x) => x.board.refuses).length;
    return f.verdict(`${refused} of ${n} refused as specified${skipped ? `; ${skipped} vectors assume other caps and were left out` : ''}`, 'right code and field for each; host-only limits accepted; stored programs intact');
  },
};
