/**
 * HELLO and version negotiation, the before-HELLO rule, the informational requests, and what the board
 * does with frames it cannot use — all at byte level.
 */
import { describe, expect, test } from 'vitest';
import { CRC_BYTES, HEADER_BYTES, TYPE_CODES, cobsEncode, crc32c, encodeFrame, type HostMessage } from '../../firmware-protocol/src/index.ts';
import { Host } from './harness.ts';

/** Hand-built frame: header + body + CRC-32C, COBS, 0x00 — nothing checked on the way. */
function rawFrame(version: number, typeCode: number, seq: number, body: number[]): Uint8Array {
  const raw = new Uint8Array(HEADER_BYTES + body.length + CRC_BYTES);
  const v = new DataView(raw.buffer);
  v.setUint8(0, version);
  v.setUint8(1, typeCode);
  v.setUint16(2, seq, true);
  raw.set(body, HEADER_BYTES);
  v.setUint32(HEADER_BYTES + body.length, crc32c(raw, 0, HEADER_BYTES + body.length), true);
  const encoded = cobsEncode(raw);
  const out = new Uint8Array(encoded.length + 1);
  out.set(encoded);
  return out;
}

describe('HELLO and version negotiation', () => {
  test('HELLO is answered with INFO: versions, caps, watchdog, telemetry rate, serial number', async () => {
    const h = await Host.connect({}, { hello: false });
    const info = await h.request({ type: 'hello', minVersion: 1, maxVersion: 3, seq: 42 });
    expect(info).toEqual({
      type: 'info',
      seq: 1,
      replyTo: 42,
      protocolVersion: 1,
      firmwareMajor: 1,
      firmwareMinor: 0,
      firmwarePatch: 0,
      watchdogMs: 500,
      telemetryRateHz: 1000,
      caps: { channelCount: 2, maxAmplitudeUa: 80_000, maxPulseWidthUs: 400, minFrequencyDeciHz: 10, maxFrequencyDeciHz: 1500, maxSlewUaPerS: 10_000, complianceMv: 80_000 },
      serialNumber: 'SIM-0001',
    });
    expect(h.board.helloDone).toBe(true);
    await h.close();
  });

  test('INFO reflects the constructor options', async () => {
    const h = await Host.connect(
      { channelCount: 4, caps: { maxAmplitudeUa: 30_000, complianceMv: 50_000 }, watchdogMs: 250, telemetryRateHz: 500, serialNumber: 'BENCH-7', firmwareVersion: [2, 3, 4] },
      { hello: false },
    );
    const info = await h.request({ type: 'hello', minVersion: 1, maxVersion: 1 });
    expect(info).toMatchObject({ firmwareMajor: 2, firmwareMinor: 3, firmwarePatch: 4, watchdogMs: 250, telemetryRateHz: 500, serialNumber: 'BENCH-7' });
    expect(info.type === 'info' && info.caps).toMatchObject({ channelCount: 4, maxAmplitudeUa: 30_000, complianceMv: 50_000 });
    await h.close();
  });

  test('the highest version in both ranges is chosen', async () => {
    const h = await Host.connect({ protocolVersions: [1, 2, 3] }, { hello: false });
    expect(await h.request({ type: 'hello', minVersion: 1, maxVersion: 2 })).toMatchObject({ type: 'info', protocolVersion: 2 });
    expect(await h.request({ type: 'hello', minVersion: 1, maxVersion: 9 })).toMatchObject({ type: 'info', protocolVersion: 3 });
    await h.close();
  });

  test('no overlap: NACK unsupportedVersion naming the version field and the board’s bound; HELLO not done', async () => {
    const h = await Host.connect({ protocolVersions: [2] }, { hello: false });
    expect(await h.request({ type: 'hello', minVersion: 1, maxVersion: 1 })).toMatchObject({
      type: 'nack',
      rejectedType: 'hello',
      code: 'unsupportedVersion',
      field: 'version',
      value: 1,
      bound: 2,
    });
    expect(await h.request({ type: 'hello', minVersion: 3, maxVersion: 5 })).toMatchObject({ code: 'unsupportedVersion', value: 3, bound: 2 });
    expect(h.board.helloDone).toBe(false);
    expect(await h.request({ type: 'getStatus' })).toMatchObject({ type: 'nack', code: 'helloRequired' });
    await h.close();
  });
});

describe('before HELLO only HELLO and ESTOP are accepted', () => {
  const requests: Exclude<HostMessage['type'], 'hello' | 'estop'>[] = ['getInfo', 'setProgram', 'start', 'stop', 'setAmplitude', 'clearFault', 'heartbeat', 'measureImpedance', 'getStatus'];
  test.each(requests)('%s before HELLO → NACK helloRequired, nothing changes', async (type) => {
    const h = await Host.connect({}, { hello: false });
    const body: Record<string, object> = {
      setProgram: { program: { channel: 0, mode: 'conventional', waveform: 'symmetric-biphasic', frequencyDeciHz: 1000, pulseWidthUs: 200, amplitudeUa: 1000, durationMs: 10_000, rampUpMs: 100, rampDownMs: 100, burstPulses: 0, burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0 } },
      start: { channel: 0 },
      stop: { channel: 0 },
      setAmplitude: { channel: 0, amplitudeUa: 1000 },
      measureImpedance: { channel: 0 },
    };
    const reply = await h.request({ type, ...(body[type] ?? {}) } as never);
    expect(reply).toMatchObject({ type: 'nack', rejectedType: type, code: 'helloRequired', field: 'none' });
    expect(h.board.program(0)).toBeNull();
    expect(h.board.channelStatus(0).state).toBe('idle');
    await h.close();
  });

  test('ESTOP before HELLO is honoured: ACK, FAULT estop, latched', async () => {
    const h = await Host.connect({}, { hello: false });
    const ack = await h.request({ type: 'estop' });
    expect(ack).toMatchObject({ type: 'ack', ackedType: 'estop' });
    expect(h.last('fault')).toMatchObject({ code: 'estop', channel: 0xff });
    expect(h.board.fault).toBe('estop');
    await h.close();
  });
});

describe('informational requests', () => {
  test('GET_INFO → INFO, GET_STATUS → STATUS, HEARTBEAT → ACK, MEASURE_IMPEDANCE → IMPEDANCE', async () => {
    const h = await Host.connect();
    await h.runWithHeartbeats(1234);
    expect(await h.request({ type: 'getInfo' })).toMatchObject({ type: 'info', protocolVersion: 1 });
    const status = await h.request({ type: 'getStatus' });
    expect(status).toMatchObject({ type: 'status', uptimeMs: 1234, fault: null, helloDone: true });
    expect(status.type === 'status' && status.channels).toEqual([
      { channel: 0, state: 'idle', amplitudeUa: 0, targetUa: 0, elapsedMs: 0 },
      { channel: 1, state: 'idle', amplitudeUa: 0, targetUa: 0, elapsedMs: 0 },
    ]);
    expect(await h.request({ type: 'heartbeat' })).toMatchObject({ type: 'ack', ackedType: 'heartbeat', echo: { kind: 'none' } });
    const z = await h.request({ type: 'measureImpedance', channel: 1 });
    // Default load 200 Ω + (1 kΩ ‖ 100 nF) seen by a 100 µs test pulse: 200 + 1000·(1 − e⁻¹) ≈ 832 Ω, ±1 % noise.
    expect(z).toMatchObject({ type: 'impedance', channel: 1, ok: true });
    expect(z.type === 'impedance' && Math.abs(z.impedanceOhm - 832) <= 9).toBe(true);
    expect(await h.request({ type: 'measureImpedance', channel: 2 })).toMatchObject({ type: 'nack', code: 'badChannel', field: 'channel', value: 2, bound: 1 });
    await h.close();
  });

  test('board seq numbers count up from 1 and every reply names its request', async () => {
    const h = await Host.connect();
    await h.request({ type: 'heartbeat', seq: 500 });
    await h.request({ type: 'getStatus', seq: 501 });
    expect(h.received.map((m) => [m.type, m.seq, 'replyTo' in m ? m.replyTo : null])).toEqual([
      ['info', 1, 1],
      ['ack', 2, 500],
      ['status', 3, 501],
    ]);
    await h.close();
  });
});

describe('frames the board cannot use', () => {
  test('good CRC, wrong body length → NACK badLength (value = got, bound = expected)', async () => {
    const h = await Host.connect();
    await h.writeRaw(rawFrame(1, TYPE_CODES.start, 77, [0, 0]));
    await h.clock.settle();
    expect(h.replyTo(77)).toMatchObject({ type: 'nack', rejectedType: 'start', code: 'badLength', field: 'none', value: 2, bound: 1 });
    expect(h.board.stats.drops.malformed).toBe(1);
    await h.close();
  });

  test('setProgram with an unknown mode or waveform code → NACK badEnum naming the field', async () => {
    const h = await Host.connect();
    const body = Array.from(encodeFrame({ type: 'heartbeat', seq: 1 }).subarray(0, 0));
    const program = new Array<number>(32).fill(0);
    program[1] = 9; // mode 9 does not exist
    await h.writeRaw(rawFrame(1, TYPE_CODES.setProgram, 80, [...body, ...program]));
    program[1] = 0;
    program[2] = 7; // waveform 7 does not exist
    await h.writeRaw(rawFrame(1, TYPE_CODES.setProgram, 81, program));
    await h.clock.settle();
    expect(h.replyTo(80)).toMatchObject({ type: 'nack', code: 'badEnum', field: 'mode', value: 9, bound: 5 });
    expect(h.replyTo(81)).toMatchObject({ type: 'nack', code: 'badEnum', field: 'waveform', value: 7, bound: 1 });
    expect(h.board.program(0)).toBeNull();
    await h.close();
  });

  test('a header version the board does not speak → NACK unsupportedVersion', async () => {
    const h = await Host.connect();
    await h.writeRaw(rawFrame(9, TYPE_CODES.heartbeat, 90, []));
    await h.clock.settle();
    expect(h.replyTo(90)).toMatchObject({ type: 'nack', rejectedType: 'heartbeat', code: 'unsupportedVersion', field: 'version', value: 9, bound: 1 });
    await h.close();
  });

  test('a board→host type sent to the board → NACK badEnum; an unknown type code is dropped and counted only', async () => {
    const h = await Host.connect();
    await h.writeRaw(encodeFrame({ type: 'fault', seq: 91, code: 'estop', channel: 0, detail: 0 }));
    await h.writeRaw(rawFrame(1, 0x55, 92, []));
    await h.clock.settle();
    expect(h.replyTo(91)).toMatchObject({ type: 'nack', rejectedType: 'fault', code: 'badEnum' });
    expect(h.replyTo(92)).toBeUndefined();
    expect(h.board.stats.drops.unknownType).toBe(1);
    expect(h.board.fault).toBeNull();
    await h.close();
  });

  test('a frame with a bad CRC is dropped silently and counted; the next good frame is answered', async () => {
    const h = await Host.connect();
    const frame = encodeFrame({ type: 'estop', seq: 93 }).slice();
    frame[2]! ^= 0x10;
    await h.writeRaw(frame);
    await h.clock.settle();
    expect(h.replyTo(93)).toBeUndefined();
    expect(h.board.fault).toBeNull();
    expect(h.board.stats.drops.crc + h.board.stats.drops.cobs).toBe(1);
    expect(await h.request({ type: 'heartbeat', seq: 94 })).toMatchObject({ type: 'ack' });
    await h.close();
  });

  test('frames split across writes and several frames in one write are each handled in order', async () => {
    const h = await Host.connect();
    const a = encodeFrame({ type: 'heartbeat', seq: 100 });
    const b = encodeFrame({ type: 'getStatus', seq: 101 });
    const bad = rawFrame(1, TYPE_CODES.stop, 102, []);
    const c = encodeFrame({ type: 'heartbeat', seq: 103 });
    const all = new Uint8Array([...a, ...b, ...bad, ...c]);
    for (let i = 0; i < all.length; i += 3) await h.writeRaw(all.subarray(i, i + 3));
    await h.clock.settle();
    expect(h.received.slice(1).map((m) => ('replyTo' in m ? m.replyTo : -1))).toEqual([100, 101, 102, 103]);
    await h.close();
  });
});
