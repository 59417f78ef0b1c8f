/**
 * SET_PROGRAM frames patched at the byte level (CRC recomputed, so no host validator stands in the way)
 * to values outside the mode table, the board's caps or the wire rules: each is NACKed naming a field it
 * breaks (PROTOCOL.md § 13.5, § 14), the output of a running channel does not change, and the patched
 * channel's stored program stays intact.
 */
import { HEADER_BYTES, MAX_RAMP_MS, PROGRAM_BYTES, MODE_LIMITS, readProgram, validateProgram, type NackCode, type Program } from '../../../../firmware-protocol/src/index.ts';
import { describeMessage } from '../BoardLink.ts';
import { expectAck, mA, resetBoard, safeProgram, startAndHold, statusText, type CheckContext } from '../context.ts';
import { patchedSetProgram, setProgramDecoded, type ProgramPatch } from '../frames.ts';
import { Findings, type Check } from './Check.ts';
import { allowedCodes } from './programsRefused.ts';

interface Case extends ProgramPatch {
  what: string;
  /** Set for patches no Program can represent (unknown enum codes). */
  expect?: { code: NackCode; field: string };
}

function cases(ctx: CheckContext): Case[] {
  const t = MODE_LIMITS.conventional;
  const caps = ctx.info.caps;
  const maxFreq = Math.min(t.frequencyDeciHz.max, caps.maxFrequencyDeciHz);
  const maxPw = Math.min(t.pulseWidthUs.max, caps.maxPulseWidthUs);
  const maxAmp = Math.min(t.maxAmplitudeUa, caps.maxAmplitudeUa);
  return [
    { what: 'channel = channel count', offset: 0, size: 1, value: caps.channelCount, expect: { code: 'badChannel', field: 'channel' } },
    { what: 'mode code 6 (unknown)', offset: 1, size: 1, value: 6, expect: { code: 'badEnum', field: 'mode' } },
    { what: 'mode code 255 (unknown)', offset: 1, size: 1, value: 0xff, expect: { code: 'badEnum', field: 'mode' } },
    { what: 'waveform code 2 (monophasic does not exist)', offset: 2, size: 1, value: 2, expect: { code: 'badEnum', field: 'waveform' } },
    { what: 'burst pulses outside burst mode', offset: 3, size: 1, value: 5 },
    { what: 'frequency one step above the limit', offset: 4, size: 2, value: maxFreq + 1 },
    { what: 'frequency 6553.5 Hz', offset: 4, size: 2, value: 0xffff },
    { what: 'frequency one step below the mode', offset: 4, size: 2, value: Math.max(caps.minFrequencyDeciHz, t.frequencyDeciHz.min) - 1 },
    { what: 'pulse width 1 µs above the limit', offset: 6, size: 2, value: maxPw + 1 },
    { what: 'pulse width 0 µs', offset: 6, size: 2, value: 0 },
    { what: 'amplitude 1 µA above the limit', offset: 8, size: 4, value: maxAmp + 1 },
    { what: 'amplitude 4294967295 µA', offset: 8, size: 4, value: 0xffffffff },
    { what: 'duration 1 ms above the mode', offset: 12, size: 4, value: t.maxDurationMs + 1 },
    { what: 'duration 999 ms', offset: 12, size: 4, value: 999 },
    { what: 'ramp-up 1 ms (faster than the slew limit)', offset: 16, size: 4, value: 1 },
    { what: 'ramp-up above 5 min', offset: 16, size: 4, value: MAX_RAMP_MS + 1 },
    { what: 'ramp-down above 5 min', offset: 20, size: 4, value: MAX_RAMP_MS + 1 },
    { what: 'burst rate outside burst mode', offset: 24, size: 2, value: 1000 },
    { what: 'sweep high end outside modulated mode', offset: 26, size: 2, value: 1200 },
    { what: 'sweep period outside modulated mode', offset: 28, size: 4, value: 5000 },
  ];
}

/** Fields a correct board may name for a patch: the reference validator's violations under mode table + caps. */
function violatedFields(ctx: CheckContext, program: Program, c: Case): string[] {
  if (c.expect) return [c.expect.field];
  const decoded = setProgramDecoded(1, program);
  const view = new DataView(decoded.buffer, decoded.byteOffset + HEADER_BYTES, PROGRAM_BYTES);
  if (c.size === 1) view.setUint8(c.offset, c.value);
  else if (c.size === 2) view.setUint16(c.offset, c.value, true);
  else view.setUint32(c.offset, c.value, true);
  const patched = readProgram(view, 0);
  if (!patched) return ['mode', 'waveform'];
  const result = validateProgram(patched, { caps: ctx.info.caps });
  return result.ok ? [] : [...new Set(result.violations.map((v) => v.field))];
}

export const programsPatchedCheck: Check = {
  id: 'programs.patched',
  title: 'SET_PROGRAM bytes patched to out-of-limit values are refused, and the output does not change',
  async run(ctx: CheckContext) {
    const f = new Findings();
    const { link, info } = ctx;
    await resetBoard(ctx);
    const channels = info.caps.channelCount;
    const target = channels - 1;
    const stored = safeProgram(info, target);
    // With two or more channels, channel 1 runs meanwhile and must not notice anything.
    const running = channels > 1 ? safeProgram(info, 0) : null;
    const before = running ? await startAndHold(ctx, running) : await link.status();
    expectAck(await link.request({ type: 'setProgram', program: stored }), `SET_PROGRAM channel ${target + 1}`);
    let refused = 0;
    const list = cases(ctx);
    for (const c of list) {
      const fields = violatedFields(ctx, stored, c);
      if (fields.length === 0) continue; // this board's caps make the patch legal (cannot happen with the mode table)
      const seq = link.nextSeq();
      const mark = link.mark();
      await link.write(patchedSetProgram(seq, stored, c), true);
      const r = (await link.waitFor((m) => 'replyTo' in m && m.replyTo === seq, mark))?.message ?? null;
      const ok = r?.type === 'nack' && fields.includes(r.field) && (c.expect ? r.code === c.expect.code : allowedCodes(r.field).includes(r.code));
      if (ok) refused++;
      else f.expect(false, `${c.what}: answered ${describeMessage(r)} (expected NACK naming ${fields.join(' or ')})`);
    }
    const after = await link.status();
    if (running) {
      const b = before.channels.find((x) => x.channel === 0);
      const a = after.channels.find((x) => x.channel === 0);
      f.expect(a?.state === 'holding' && a.amplitudeUa === b?.amplitudeUa && a.targetUa === b?.targetUa, `channel 1 changed while refusing: ${statusText(after)} (expected holding at ${mA(running.amplitudeUa)})`);
    }
    const t = after.channels.find((x) => x.channel === target);
    f.expect(t?.state === 'idle' && t.amplitudeUa === 0, `channel ${target + 1} is not idle at 0 mA: ${statusText(after)}`);
    expectAck(await link.request({ type: 'start', channel: target }), `START channel ${target + 1} after the refusals`);
    const started = (await link.status()).channels.find((x) => x.channel === target);
    f.expect(started?.targetUa === stored.amplitudeUa, `channel ${target + 1} started towards ${started ? mA(started.targetUa) : 'nothing'} (expected the stored ${mA(stored.amplitudeUa)})`);
    await resetBoard(ctx);
    return f.verdict(`${refused} of ${list.length} patched frames refused`, 'each NACKed naming the field it breaks; the running channel and the stored program unchanged');
  },
};
