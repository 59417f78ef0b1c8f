/**
 * SET_PROGRAM: the board re-validates with its own checks, NACKs naming code/field/value/bound, and keeps
 * the previous program. The out-of-range frames are built by hand at byte level, so the host's validator
 * (which encodeFrame runs) never sees them — the board is the last line.
 */
import { describe, expect, test } from 'vitest';
import { CRC_BYTES, HEADER_BYTES, PROGRAM_BYTES, PROTOCOL_VERSION, ProgramRejectedError, TYPE_CODES, cobsEncode, crc32c, encodeFrame, writeProgram, type Program } from '../../firmware-protocol/src/index.ts';
import { Host, conventional, peakUa } from './harness.ts';

/** header | program body | CRC-32C, COBS-encoded, 0x00 — no validation anywhere on the way. */
function craftedSetProgram(seq: number, program: Program): Uint8Array {
  const raw = new Uint8Array(HEADER_BYTES + PROGRAM_BYTES + CRC_BYTES);
  const view = new DataView(raw.buffer);
  view.setUint8(0, PROTOCOL_VERSION);
  view.setUint8(1, TYPE_CODES.setProgram);
  view.setUint16(2, seq, true);
  writeProgram(view, HEADER_BYTES, program);
  view.setUint32(HEADER_BYTES + PROGRAM_BYTES, crc32c(raw, 0, HEADER_BYTES + PROGRAM_BYTES), true);
  const encoded = cobsEncode(raw);
  const frame = new Uint8Array(encoded.length + 1);
  frame.set(encoded);
  return frame;
}

describe('SET_PROGRAM', () => {
  test('a valid program is stored and its ACK echoes exactly what the board will play', async () => {
    const h = await Host.connect();
    const program = conventional({ channel: 1, amplitudeUa: 12_345, rampUpMs: 1_300 });
    const ack = await h.request({ type: 'setProgram', program });
    expect(ack).toMatchObject({ type: 'ack', ackedType: 'setProgram', echo: { kind: 'program', program } });
    expect(h.board.program(1)).toEqual(program);
    expect(h.board.program(0)).toBeNull();
    await h.close();
  });

  test('one valid program per mode is accepted', async () => {
    const h = await Host.connect();
    const programs: Program[] = [
      conventional(),
      conventional({ mode: 'acupuncture-like', frequencyDeciHz: 20, pulseWidthUs: 250, amplitudeUa: 40_000, rampUpMs: 4_000 }),
      conventional({ mode: 'burst', frequencyDeciHz: 20, pulseWidthUs: 200, burstPulses: 7, burstFrequencyDeciHz: 1000 }),
      conventional({ mode: 'brief-intense', frequencyDeciHz: 1200, pulseWidthUs: 250, durationMs: 900_000 }),
      conventional({ mode: 'modulated', frequencyDeciHz: 100, sweepHighDeciHz: 1000, sweepPeriodMs: 5_000, waveform: 'asymmetric-biphasic' }),
      conventional({ mode: 'low-frequency', frequencyDeciHz: 200, pulseWidthUs: 200, amplitudeUa: 15_000 }),
    ];
    for (const program of programs) expect(await h.request({ type: 'setProgram', program })).toMatchObject({ type: 'ack', echo: { program } });
    await h.close();
  });

  test('the host encoder refuses the out-of-range program (so the test has to craft its bytes by hand)', () => {
    expect(() => encodeFrame({ type: 'setProgram', seq: 1, program: conventional({ amplitudeUa: 75_000, rampUpMs: 8_000 }) })).toThrow(ProgramRejectedError);
  });

  const refusals: [string, Partial<Program>, object][] = [
    ['amplitude above the conventional 60 mA', { amplitudeUa: 75_000, rampUpMs: 8_000 }, { code: 'outOfRange', field: 'amplitudeUa', value: 75_000, bound: 60_000 }],
    ['frequency above 150 Hz', { frequencyDeciHz: 2000 }, { code: 'outOfRange', field: 'frequencyDeciHz', value: 2000, bound: 1500 }],
    ['pulse width above 250 µs', { pulseWidthUs: 400 }, { code: 'outOfRange', field: 'pulseWidthUs', value: 400, bound: 250 }],
    ['12 h + 1 ms', { durationMs: 43_200_001 }, { code: 'outOfRange', field: 'durationMs', value: 43_200_001, bound: 43_200_000 }],
    ['a ramp faster than 10 mA/s', { amplitudeUa: 20_000, rampUpMs: 100 }, { code: 'outOfRange', field: 'rampUpMs', value: 100, bound: 2000 }],
    ['a channel the board does not have', { channel: 5 }, { code: 'badChannel', field: 'channel', value: 5, bound: 1 }],
    ['a burst field outside burst mode', { burstPulses: 4 }, { code: 'outOfRange', field: 'burstPulses', value: 4, bound: 0 }],
    ['80 mA at 400 µs acupuncture-like (32 µC per phase, cap 25 µC)', { mode: 'acupuncture-like', frequencyDeciHz: 20, pulseWidthUs: 400, amplitudeUa: 80_000, rampUpMs: 8_000 }, { code: 'chargePerPhase', field: 'amplitudeUa', value: 80_000, bound: 62_500 }],
  ];

  test.each(refusals)('a crafted frame with %s → NACK with code/field/value/bound, previous program intact', async (_name, overrides, nack) => {
    const h = await Host.connect();
    const previous = conventional({ amplitudeUa: 5_000, rampUpMs: 500 });
    await h.request({ type: 'setProgram', program: previous });
    const seq = h.nextSeq();
    await h.writeRaw(craftedSetProgram(seq, conventional(overrides)));
    await h.clock.settle();
    expect(h.replyTo(seq)).toMatchObject({ type: 'nack', replyTo: seq, rejectedType: 'setProgram', ...nack });
    expect(h.board.program(0)).toEqual(previous);
    expect(h.board.stats.nacksSent).toBe(1);
    await h.close();
  });

  test('a crafted out-of-range program cannot be started: START plays the previous program only', async () => {
    const h = await Host.connect();
    const previous = conventional({ amplitudeUa: 5_000, rampUpMs: 500 });
    await h.request({ type: 'setProgram', program: previous });
    const seq = h.nextSeq();
    await h.writeRaw(craftedSetProgram(seq, conventional({ amplitudeUa: 75_000, rampUpMs: 8_000 })));
    const samples = h.recordSamples();
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'ack' });
    await h.runWithHeartbeats(3_000);
    expect(peakUa(samples, 0)).toBe(5_000);
    await h.close();
  });

  test('a program for a running channel is refused (busy) and the running one keeps going', async () => {
    const h = await Host.connect();
    const running = conventional({ amplitudeUa: 4_000, rampUpMs: 400 });
    await h.startProgram(running);
    await h.runWithHeartbeats(1_000);
    expect(await h.request({ type: 'setProgram', program: conventional({ amplitudeUa: 8_000, rampUpMs: 800 }) })).toMatchObject({ type: 'nack', code: 'busy', field: 'channel', value: 0 });
    expect(h.board.program(0)).toEqual(running);
    expect(h.board.outputUa(0)).toBe(4_000);
    // The other channel is free.
    expect(await h.request({ type: 'setProgram', program: conventional({ channel: 1 }) })).toMatchObject({ type: 'ack' });
    await h.close();
  });

  test('the board’s weaker caps bind: a program legal for the mode is refused with the board’s own bound', async () => {
    const h = await Host.connect({ caps: { maxAmplitudeUa: 10_000, maxPulseWidthUs: 150 } });
    const seq = h.nextSeq();
    // encodeFrame without the board caps in its context accepts this; the board does not.
    await h.writeRaw(encodeFrame({ type: 'setProgram', seq, program: conventional({ amplitudeUa: 12_000, rampUpMs: 1_200, pulseWidthUs: 100 }) }));
    await h.clock.settle();
    expect(h.replyTo(seq)).toMatchObject({ type: 'nack', code: 'outOfRange', field: 'amplitudeUa', value: 12_000, bound: 10_000 });
    expect(await h.request({ type: 'setProgram', program: conventional({ pulseWidthUs: 200, amplitudeUa: 5_000, rampUpMs: 500 }) })).toMatchObject({
      type: 'nack',
      field: 'pulseWidthUs',
      value: 200,
      bound: 150,
    });
    await h.close();
  });
});
