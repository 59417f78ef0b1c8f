/**
 * encodeFrame is the protocol layer's safety gate: a refused program never becomes bytes
 * (ProgramRejectedError), and no value is ever truncated or rounded to fit (EncodeError).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  EncodeError,
  FrameDecoder,
  MAX_SERIAL_BYTES,
  ProgramRejectedError,
  ProtocolError,
  amplitudeCeiling,
  encodeFrame,
  validateAmplitudeChange,
  validateProgram,
  type Message,
  type Program,
} from '../../firmware-protocol/src/index.ts';
import { messageArb, programWithContextArb, u32, wireProgramArb } from './arbitraries.ts';

const program: Program = {
  channel: 0, mode: 'conventional', waveform: 'symmetric-biphasic', frequencyDeciHz: 1000, pulseWidthUs: 200,
  amplitudeUa: 20_000, durationMs: 600_000, rampUpMs: 2_000, rampDownMs: 1_000, burstPulses: 0,
  burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0,
};

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('encodeFrame refuses programs the validator refuses', () => {
  test('ProgramRejectedError with every violation; nothing is returned', () => {
    let bytes: Uint8Array | undefined;
    const e = thrown(() => {
      bytes = encodeFrame({ type: 'setProgram', seq: 1, program: { ...program, amplitudeUa: 61_000, pulseWidthUs: 260 } });
    });
    expect(bytes).toBeUndefined();
    expect(e).toBeInstanceOf(ProgramRejectedError);
    expect(e).toBeInstanceOf(ProtocolError);
    const err = e as ProgramRejectedError;
    expect(err.name).toBe('ProgramRejectedError');
    expect(err.code).toBe('PROGRAM_REJECTED');
    expect(err.violations.map((v) => [v.field, v.source])).toEqual([
      ['pulseWidthUs', 'mode-table'],
      ['amplitudeUa', 'mode-table'],
      ['rampUpMs', 'slew-rate'],
    ]);
    expect(err.message).toContain('61000');
  });
  test('the validation context (caps, lab cap, area) is applied at encode time', () => {
    const m: Message = { type: 'setProgram', seq: 2, program };
    expect(() => encodeFrame(m)).not.toThrow();
    expect(() => encodeFrame(m, { validation: { labCap: { maxAmplitudeUa: 15_000 } } })).toThrow(ProgramRejectedError);
    expect(() => encodeFrame(m, { validation: { caps: { channelCount: 1 } } })).not.toThrow();
    expect(() => encodeFrame({ ...m, program: { ...program, channel: 1 } }, { validation: { caps: { channelCount: 1 } } })).toThrow(ProgramRejectedError);
  });
  test('property: for any wire-valid program, encodeFrame succeeds exactly when validateProgram accepts', () => {
    fc.assert(
      fc.property(wireProgramArb, (p) => {
        const ok = validateProgram(p).ok;
        const e = (() => {
          try {
            return encodeFrame({ type: 'setProgram', seq: 1, program: p });
          } catch (err) {
            return err;
          }
        })();
        if (ok) expect(e).toBeInstanceOf(Uint8Array);
        else expect(e).toBeInstanceOf(ProgramRejectedError);
      }),
      { numRuns: 1_000 },
    );
  });
  test('an ACK echo of a program is not validated (the board reports what it stored, the host checks it)', () => {
    const echo: Message = { type: 'ack', seq: 1, replyTo: 1, ackedType: 'setProgram', echo: { kind: 'program', program: { ...program, amplitudeUa: 999_999 } } };
    expect(new FrameDecoder().push(encodeFrame(echo))).toEqual([echo]);
  });
});

describe('encodeFrame refuses an out-of-limit SET_AMPLITUDE when given the running program', () => {
  const set = (amplitudeUa: number, channel = 0): Message => ({ type: 'setAmplitude', seq: 5, channel, amplitudeUa });
  test('above the mode table: ProgramRejectedError naming amplitudeUa, nothing encoded', () => {
    const e = thrown(() => encodeFrame(set(60_001), { activeProgram: program }));
    expect(e).toBeInstanceOf(ProgramRejectedError);
    expect((e as ProgramRejectedError).violations).toEqual([expect.objectContaining({ field: 'amplitudeUa', source: 'mode-table', bound: 60_000 })]);
  });
  test('the program ramp does not limit a live rise (the board slews it), so the table maximum encodes', () => {
    expect(encodeFrame(set(60_000), { activeProgram: program })).toBeInstanceOf(Uint8Array);
  });
  test('lab cap and electrode area apply', () => {
    expect(() => encodeFrame(set(15_001), { activeProgram: program, validation: { labCap: { maxAmplitudeUa: 15_000 } } })).toThrow(ProgramRejectedError);
    expect(() => encodeFrame(set(60_000), { activeProgram: program, validation: { electrodeAreaCm2: 1 } })).toThrow(ProgramRejectedError);
  });
  test('a program for another channel is a caller error (EncodeError), not a silent pass', () => {
    expect(() => encodeFrame(set(1_000, 1), { activeProgram: program })).toThrow(EncodeError);
  });
  test('without activeProgram the amplitude is only checked for fitting its field', () => {
    expect(encodeFrame(set(900_000))).toBeInstanceOf(Uint8Array);
  });
  test('property: with the running program, a live amplitude encodes exactly when it is within amplitudeCeiling', () => {
    fc.assert(
      fc.property(programWithContextArb, fc.oneof(u32, fc.integer({ min: 0, max: 100_000 })), ({ program: p, context }, amplitudeUa) => {
        const within = amplitudeUa <= amplitudeCeiling(p, context).value;
        expect(validateAmplitudeChange(p, amplitudeUa, context).ok).toBe(within);
        const m: Message = { type: 'setAmplitude', seq: 1, channel: p.channel, amplitudeUa };
        if (within) expect(encodeFrame(m, { activeProgram: p, validation: context })).toBeInstanceOf(Uint8Array);
        else expect(() => encodeFrame(m, { activeProgram: p, validation: context })).toThrow(ProgramRejectedError);
      }),
      { numRuns: 500 },
    );
  });
});

describe('encodeFrame refuses values that do not fit (EncodeError, never truncation)', () => {
  const cases: { name: string; message: Message; field: string }[] = [
    { name: 'seq above 65535', message: { type: 'heartbeat', seq: 65_536 }, field: 'seq' },
    { name: 'negative seq', message: { type: 'heartbeat', seq: -1 }, field: 'seq' },
    { name: 'fractional seq', message: { type: 'heartbeat', seq: 1.5 }, field: 'seq' },
    { name: 'NaN seq', message: { type: 'heartbeat', seq: Number.NaN }, field: 'seq' },
    { name: 'channel above 255', message: { type: 'start', seq: 1, channel: 256 }, field: 'channel' },
    { name: 'negative channel', message: { type: 'stop', seq: 1, channel: -1 }, field: 'channel' },
    { name: 'amplitude above u32', message: { type: 'setAmplitude', seq: 1, channel: 0, amplitudeUa: 2 ** 32 }, field: 'amplitudeUa' },
    { name: 'fractional amplitude', message: { type: 'setAmplitude', seq: 1, channel: 0, amplitudeUa: 1000.5 }, field: 'amplitudeUa' },
    { name: 'negative amplitude', message: { type: 'setAmplitude', seq: 1, channel: 0, amplitudeUa: -1 }, field: 'amplitudeUa' },
    { name: 'version above 255 in HELLO', message: { type: 'hello', seq: 1, minVersion: 1, maxVersion: 256 }, field: 'maxVersion' },
    { name: 'telemetry current beyond i32', message: { type: 'telemetry', seq: 1, channel: 0, firstSampleMs: 0, sampleIntervalUs: 1000, samples: [{ currentUa: 2 ** 31, voltageMv: 0 }] }, field: 'currentUa' },
    { name: 'too many telemetry samples', message: { type: 'telemetry', seq: 1, channel: 0, firstSampleMs: 0, sampleIntervalUs: 1000, samples: Array.from({ length: 101 }, () => ({ currentUa: 0, voltageMv: 0 })) }, field: 'samples.length' },
    { name: 'unknown fault code', message: { type: 'fault', seq: 1, code: 'meltdown' as never, channel: 0, detail: 0 }, field: 'code' },
    { name: 'unknown NACK code', message: { type: 'nack', seq: 1, replyTo: 1, rejectedType: 'start', code: 'nope' as never, field: 'none', value: 0, bound: 0 }, field: 'code' },
    { name: 'unknown acked type', message: { type: 'ack', seq: 1, replyTo: 1, ackedType: 'bogus' as never, echo: { kind: 'none' } }, field: 'ackedType' },
    { name: 'unknown channel state', message: { type: 'status', seq: 1, replyTo: 0, uptimeMs: 0, fault: null, helloDone: true, channels: [{ channel: 0, state: 'sleeping' as never, amplitudeUa: 0, targetUa: 0, elapsedMs: 0 }] }, field: 'state' },
    { name: 'serial number too long', message: { type: 'info', seq: 1, replyTo: 1, protocolVersion: 1, firmwareMajor: 1, firmwareMinor: 0, firmwarePatch: 0, watchdogMs: 500, telemetryRateHz: 1000, caps: { channelCount: 2, maxAmplitudeUa: 80_000, maxPulseWidthUs: 400, minFrequencyDeciHz: 10, maxFrequencyDeciHz: 1500, maxSlewUaPerS: 10_000, complianceMv: 80_000 }, serialNumber: 'X'.repeat(MAX_SERIAL_BYTES + 1) }, field: 'serialNumber' },
    { name: 'non-ASCII serial number', message: { type: 'info', seq: 1, replyTo: 1, protocolVersion: 1, firmwareMajor: 1, firmwareMinor: 0, firmwarePatch: 0, watchdogMs: 500, telemetryRateHz: 1000, caps: { channelCount: 2, maxAmplitudeUa: 80_000, maxPulseWidthUs: 400, minFrequencyDeciHz: 10, maxFrequencyDeciHz: 1500, maxSlewUaPerS: 10_000, complianceMv: 80_000 }, serialNumber: 'SIM-µ' }, field: 'serialNumber' },
    { name: 'watchdog above u16', message: { type: 'info', seq: 1, replyTo: 1, protocolVersion: 1, firmwareMajor: 1, firmwareMinor: 0, firmwarePatch: 0, watchdogMs: 70_000, telemetryRateHz: 1000, caps: { channelCount: 2, maxAmplitudeUa: 80_000, maxPulseWidthUs: 400, minFrequencyDeciHz: 10, maxFrequencyDeciHz: 1500, maxSlewUaPerS: 10_000, complianceMv: 80_000 }, serialNumber: '' }, field: 'watchdogMs' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      let bytes: Uint8Array | undefined;
      const e = thrown(() => {
        bytes = encodeFrame(c.message);
      });
      expect(bytes).toBeUndefined();
      expect(e).toBeInstanceOf(EncodeError);
      expect((e as EncodeError).field).toBe(c.field);
      expect((e as EncodeError).code).toBe('ENCODE_FIELD');
      expect((e as EncodeError).message).toMatch(/expected .+, got /);
    });
  }
  test('a header version that does not fit a byte is refused', () => {
    expect(() => encodeFrame({ type: 'heartbeat', seq: 1 }, { version: 256 })).toThrow(EncodeError);
  });
  test('property: any value past a field width (seq u16, channel u8, amplitude u32) is refused, never wrapped', () => {
    fc.assert(
      fc.property(messageArb('setAmplitude'), fc.integer({ min: 1, max: 2 ** 40 }), (m, over) => {
        expect(() => encodeFrame({ ...m, seq: 0xffff + over })).toThrow(EncodeError);
        expect(() => encodeFrame({ ...m, channel: 0xff + over })).toThrow(EncodeError);
        expect(() => encodeFrame({ ...m, amplitudeUa: 0xffffffff + over })).toThrow(EncodeError);
        expect(() => encodeFrame({ ...m, amplitudeUa: -over })).toThrow(EncodeError);
      }),
    );
  });
  test('a failed encode leaves the next encode correct (scratch buffers are not left dirty)', () => {
    const m: Message = { type: 'setAmplitude', seq: 3, channel: 1, amplitudeUa: 12_345 };
    const before = encodeFrame(m);
    expect(() => encodeFrame({ type: 'telemetry', seq: 1, channel: 0, firstSampleMs: 0, sampleIntervalUs: 1, samples: [{ currentUa: 1, voltageMv: 1.5 }] })).toThrow(EncodeError);
    expect([...encodeFrame(m)]).toEqual([...before]);
  });
  test('each call returns its own buffer holding exactly the wire bytes', () => {
    const a = encodeFrame({ type: 'heartbeat', seq: 1 });
    const b = encodeFrame({ type: 'heartbeat', seq: 2 });
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.byteLength).toBe(a.buffer.byteLength);
    expect([...a]).not.toEqual([...b]);
  });
});
