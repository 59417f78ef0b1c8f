/**
 * Defence in depth, layer 3: frames crafted at byte level — so no host validator ever saw them — are
 * NACKed by the board and change nothing (SAFETY.md § 3.1 "Defence in depth"; PROTOCOL.md § 13.5).
 */
import { describe, expect, it } from 'vitest';
import { TYPE_CODES, type Message, type NackMessage } from '../../firmware-protocol/src/index.ts';
import { craftFrame, craftSetProgram, craftSetProgramPatched } from './support/craftFrame.ts';
import { connectedRig, PROGRAM, settle } from './support/rig.ts';
import { TapTransport } from './support/TapTransport.ts';

async function tappedRig() {
  let tap!: TapTransport;
  const rig = await connectedRig({ wrap: (t) => (tap = new TapTransport(t)) });
  const out: Message[] = [];
  rig.board.onFrame((dir, m) => {
    if (dir === 'out') out.push(m);
  });
  await settle(rig.clock, rig.client.setProgram(PROGRAM));
  const nackFor = (seq: number) => out.find((m): m is NackMessage => m.type === 'nack' && m.replyTo === seq);
  return { ...rig, tap, out, nackFor };
}

describe('frames that bypass the host validator', () => {
  const cases = [
    { what: 'amplitude 100 mA in conventional mode (max 60 mA)', change: { amplitudeUa: 100_000, rampUpMs: 10_000 }, code: 'outOfRange', field: 'amplitudeUa' },
    { what: 'pulse width 1000 µs (mode max 250, board max 400)', change: { pulseWidthUs: 1_000 }, code: 'outOfRange', field: 'pulseWidthUs' },
    { what: 'frequency 0 Hz', change: { frequencyDeciHz: 0 }, code: 'outOfRange', field: 'frequencyDeciHz' },
    { what: 'a ramp-up faster than the slew limit', change: { rampUpMs: 10 }, code: 'outOfRange', field: 'rampUpMs' },
    { what: 'a 13 h conventional session', change: { durationMs: 13 * 3_600_000 }, code: 'outOfRange', field: 'durationMs' },
  ] as const;
  for (const c of cases) {
    it(`SET_PROGRAM with ${c.what}: NACK ${c.field}; the stored program and the output are unchanged`, async () => {
      const rig = await tappedRig();
      const nacksBefore = rig.board.stats.nacksSent;
      await rig.tap.inject(craftSetProgram(0x7001, { ...PROGRAM, ...c.change }));
      await rig.clock.advance(5);
      const nack = rig.nackFor(0x7001);
      expect(nack).toMatchObject({ rejectedType: 'setProgram', field: c.field });
      expect(['outOfRange', 'rmsCurrent']).toContain(nack!.code);
      expect(rig.board.stats.nacksSent).toBe(nacksBefore + 1);
      expect(rig.board.program(0)).toEqual(PROGRAM);
      expect(rig.totalOutputUa()).toBe(0);
      // The client is unaffected (an unmatched NACK is ignored) and plays only what it verified.
      expect(rig.client.state).toBe('ready');
      let peak = 0;
      rig.board.onSample((_c, _t, ua) => (peak = Math.max(peak, ua)));
      await settle(rig.clock, rig.client.start(0));
      await rig.clock.advance(6_000);
      expect(peak).toBe(PROGRAM.amplitudeUa);
    });
  }

  it('SET_PROGRAM with an unknown waveform code: NACK, program unchanged', async () => {
    const rig = await tappedRig();
    await rig.tap.inject(craftSetProgramPatched(0x7002, PROGRAM, (body) => (body[2] = 99)));
    await rig.clock.advance(5);
    expect(rig.nackFor(0x7002)).toMatchObject({ rejectedType: 'setProgram' });
    expect(rig.board.program(0)).toEqual(PROGRAM);
  });

  it('START on a channel the board does not have: NACK badChannel, nothing runs', async () => {
    const rig = await tappedRig();
    await rig.tap.inject(craftFrame(TYPE_CODES.start, 0x7003, Uint8Array.of(5)));
    await rig.clock.advance(5);
    expect(rig.nackFor(0x7003)).toMatchObject({ rejectedType: 'start', code: 'badChannel' });
    expect(rig.totalOutputUa()).toBe(0);
  });

  it('SET_AMPLITUDE above the running program’s mode limit: NACK, output unchanged', async () => {
    const rig = await tappedRig();
    await settle(rig.clock, rig.client.start(0));
    await rig.clock.advance(6_000);
    const body = new Uint8Array(5);
    new DataView(body.buffer).setUint32(1, 70_000, true);
    await rig.tap.inject(craftFrame(TYPE_CODES.setAmplitude, 0x7004, body));
    await rig.clock.advance(2_000);
    expect(rig.nackFor(0x7004)).toMatchObject({ rejectedType: 'setAmplitude', field: 'amplitudeUa' });
    expect(rig.board.outputUa(0)).toBe(20_000);
  });

  it('a frame with a broken CRC is dropped and counted, and changes nothing', async () => {
    const rig = await tappedRig();
    const frame = craftSetProgram(0x7005, { ...PROGRAM, amplitudeUa: 30_000, rampUpMs: 5_000 });
    frame[6] = (frame[6] ?? 0) ^ 0x01;
    const dropsBefore = rig.board.stats.drops.crc + rig.board.stats.drops.cobs;
    await rig.tap.inject(frame);
    await rig.clock.advance(5);
    expect(rig.board.stats.drops.crc + rig.board.stats.drops.cobs).toBe(dropsBefore + 1);
    expect(rig.out.some((m) => 'replyTo' in m && m.replyTo === 0x7005)).toBe(false);
    expect(rig.board.program(0)).toEqual(PROGRAM);
  });
});
