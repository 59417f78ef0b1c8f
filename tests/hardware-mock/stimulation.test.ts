/**
 * START, ramps, live amplitude, STOP, ESTOP, CLEAR_FAULT and the max-duration stop — checked against every
 * output-model sample (onSample), so nothing outside the accepted program can hide between checks.
 */
import { describe, expect, test } from 'vitest';
import { encodeFrame, type ChannelState } from '../../firmware-protocol/src/index.ts';
import { Host, conventional, peakUa, type Sample } from './harness.ts';

const SLEW_UA_PER_MS = 10; // 10 mA/s

/** Largest rise between consecutive samples of a channel, in µA per ms of sample spacing. */
function steepestRiseUaPerMs(samples: Sample[], channel = 0): number {
  const s = samples.filter((x) => x.channel === channel);
  let worst = 0;
  for (let i = 1; i < s.length; i++) worst = Math.max(worst, (s[i]!.currentUa - s[i - 1]!.currentUa) / (s[i]!.atMs - s[i - 1]!.atMs));
  return worst;
}

describe('START', () => {
  test('needs a stored program: NACK noProgram', async () => {
    const h = await Host.connect();
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'nack', code: 'noProgram', field: 'channel', value: 0 });
    expect(await h.request({ type: 'start', channel: 9 })).toMatchObject({ type: 'nack', code: 'badChannel', value: 9, bound: 1 });
    await h.close();
  });

  test('needs a passing impedance check: NACK impedanceFail carrying the measured Ω and the 5 kΩ threshold', async () => {
    const h = await Host.connect({ load: { seriesOhm: 6_000, parallelOhm: 1_000, parallelNf: 100 } });
    await h.request({ type: 'setProgram', program: conventional() });
    const nack = await h.request({ type: 'start', channel: 0 });
    expect(nack).toMatchObject({ type: 'nack', code: 'impedanceFail', bound: 5_000 });
    expect(nack.type === 'nack' && nack.value).toBeGreaterThanOrEqual(6_000);
    await h.runWithHeartbeats(500);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.channelStatus(0).state).toBe('idle');
    await h.close();
  });

  test('needs no latched fault: NACK faultLatched', async () => {
    const h = await Host.connect();
    await h.request({ type: 'setProgram', program: conventional() });
    await h.request({ type: 'estop' });
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'nack', code: 'faultLatched', value: 1 });
    expect(h.board.outputUa(0)).toBe(0);
    await h.close();
  });

  test('a running channel cannot be started again (busy)', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional());
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'nack', code: 'busy' });
    await h.close();
  });

  test('output starts at 0, ramps linearly to the amplitude over rampUpMs, then holds', async () => {
    const h = await Host.connect();
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 20_000, rampUpMs: 4_000 }));
    expect(h.board.outputUa(0)).toBe(0);
    await h.runWithHeartbeats(1_000);
    expect(h.board.outputUa(0)).toBe(5_000);
    await h.runWithHeartbeats(3_000);
    expect(h.board.outputUa(0)).toBe(20_000);
    await h.runWithHeartbeats(2_000);
    expect(h.board.channelStatus(0)).toEqual({ channel: 0, state: 'holding', amplitudeUa: 20_000, targetUa: 20_000, elapsedMs: 6_000 });
    const ch0 = samples.filter((s) => s.channel === 0 && s.atMs > 0);
    expect(ch0[0]!.currentUa).toBeLessThanOrEqual(5);
    expect(peakUa(ch0)).toBe(20_000);
    expect(steepestRiseUaPerMs(samples)).toBeLessThanOrEqual(20_000 / 4_000 + 1);
    await h.close();
  });

  test('a program asking the fastest legal ramp never rises faster than the slew limit, at any sample', async () => {
    const h = await Host.connect();
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 60_000, rampUpMs: 6_000, pulseWidthUs: 100 }));
    await h.runWithHeartbeats(8_000);
    expect(h.board.outputUa(0)).toBe(60_000);
    // 1 µA of rounding per sample at most.
    expect(steepestRiseUaPerMs(samples)).toBeLessThanOrEqual(SLEW_UA_PER_MS + 1);
    await h.close();
  });

  test('a board with a slower slew cap ramps no faster than its own cap', async () => {
    const h = await Host.connect({ caps: { maxSlewUaPerS: 2_000 } });
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 4_000, rampUpMs: 2_000 }));
    await h.runWithHeartbeats(3_000);
    expect(steepestRiseUaPerMs(samples)).toBeLessThanOrEqual(2 + 1);
    expect(h.board.outputUa(0)).toBe(4_000);
    await h.close();
  });
});

describe('live amplitude (SET_AMPLITUDE)', () => {
  test('up: slewed at no more than maxSlewUaPerS; the ACK echoes the new target', async () => {
    const h = await Host.connect();
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000 }));
    await h.runWithHeartbeats(2_000);
    const ack = await h.request({ type: 'setAmplitude', channel: 0, amplitudeUa: 30_000 });
    expect(ack).toMatchObject({ type: 'ack', ackedType: 'setAmplitude', echo: { kind: 'amplitude', channel: 0, amplitudeUa: 30_000 } });
    expect(h.board.channelStatus(0)).toMatchObject({ state: 'ramping-up', targetUa: 30_000 });
    await h.runWithHeartbeats(1_000);
    expect(h.board.outputUa(0)).toBe(20_000);
    await h.runWithHeartbeats(1_500);
    expect(h.board.outputUa(0)).toBe(30_000);
    expect(steepestRiseUaPerMs(samples)).toBeLessThanOrEqual(SLEW_UA_PER_MS + 1);
    await h.close();
  });

  test('down: immediate, within the write', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 30_000, rampUpMs: 3_000 }));
    await h.runWithHeartbeats(4_000);
    expect(h.board.outputUa(0)).toBe(30_000);
    await h.send({ type: 'setAmplitude', channel: 0, amplitudeUa: 5_000 });
    expect(h.board.outputUa(0)).toBe(5_000);
    expect(h.board.channelStatus(0)).toMatchObject({ state: 'holding', amplitudeUa: 5_000, targetUa: 5_000 });
    await h.close();
  });

  test('down during ramp-up: drops at once and holds there', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 30_000, rampUpMs: 3_000 }));
    await h.runWithHeartbeats(2_000);
    await h.send({ type: 'setAmplitude', channel: 0, amplitudeUa: 1_000 });
    expect(h.board.outputUa(0)).toBe(1_000);
    await h.runWithHeartbeats(2_000);
    expect(h.board.outputUa(0)).toBe(1_000);
    await h.close();
  });

  test('refused outside ramping-up/holding (badState) and above the mode/board limit (outOfRange), nothing changes', async () => {
    const h = await Host.connect();
    expect(await h.request({ type: 'setAmplitude', channel: 0, amplitudeUa: 1_000 })).toMatchObject({ type: 'nack', code: 'badState' });
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000, rampDownMs: 5_000 }));
    await h.runWithHeartbeats(2_000);
    expect(await h.request({ type: 'setAmplitude', channel: 0, amplitudeUa: 60_001 })).toMatchObject({ type: 'nack', code: 'outOfRange', field: 'amplitudeUa', value: 60_001, bound: 60_000 });
    expect(h.board.channelStatus(0)).toMatchObject({ amplitudeUa: 10_000, targetUa: 10_000 });
    await h.request({ type: 'stop', channel: 0 });
    expect(await h.request({ type: 'setAmplitude', channel: 0, amplitudeUa: 20_000 })).toMatchObject({ type: 'nack', code: 'badState' });
    await h.runWithHeartbeats(200);
    expect(h.board.outputUa(0)).toBeLessThan(10_000);
    expect(await h.request({ type: 'setAmplitude', channel: 3, amplitudeUa: 1 })).toMatchObject({ type: 'nack', code: 'badChannel' });
    await h.close();
  });
});

describe('STOP, ESTOP, CLEAR_FAULT, max duration', () => {
  test('STOP ramps down from the present amplitude over rampDownMs', async () => {
    const h = await Host.connect();
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 20_000, rampUpMs: 2_000, rampDownMs: 4_000 }));
    await h.runWithHeartbeats(1_000); // mid-ramp: 10 mA
    expect(await h.request({ type: 'stop', channel: 0 })).toMatchObject({ type: 'ack', ackedType: 'stop' });
    expect(h.board.channelStatus(0)).toMatchObject({ state: 'ramping-down', amplitudeUa: 10_000, targetUa: 0 });
    await h.runWithHeartbeats(2_000);
    expect(h.board.outputUa(0)).toBe(5_000);
    await h.runWithHeartbeats(2_000);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.channelStatus(0).state).toBe('idle');
    const after = samples.filter((s) => s.channel === 0 && s.atMs > 1_000);
    for (let i = 1; i < after.length; i++) expect(after[i]!.currentUa).toBeLessThanOrEqual(after[i - 1]!.currentUa);
    // Stopped channels never come back by themselves.
    await h.runWithHeartbeats(3_000);
    expect(peakUa(samples.filter((s) => s.atMs > 5_000), 0)).toBe(0);
    await h.close();
  });

  test('STOP 0xFF stops every channel; STOP on an idle channel is ACKed and harmless', async () => {
    const h = await Host.connect();
    expect(await h.request({ type: 'stop', channel: 1 })).toMatchObject({ type: 'ack' });
    await h.startProgram(conventional({ channel: 0, amplitudeUa: 5_000, rampUpMs: 500, rampDownMs: 1_000 }));
    await h.startProgram(conventional({ channel: 1, amplitudeUa: 5_000, rampUpMs: 500, rampDownMs: 1_000 }));
    await h.runWithHeartbeats(1_000);
    await h.request({ type: 'stop', channel: 0xff });
    expect(h.board.channelStatus(0).state).toBe('ramping-down');
    expect(h.board.channelStatus(1).state).toBe('ramping-down');
    await h.runWithHeartbeats(1_100);
    expect([h.board.outputUa(0), h.board.outputUa(1)]).toEqual([0, 0]);
    await h.close();
  });

  const estopFrom: [string, number][] = [
    ['ramping-up', 500],
    ['holding', 3_000],
    ['ramping-down', 0],
  ];
  test.each(estopFrom)('ESTOP while %s: output 0 on every channel as soon as the write resolves; ACK, FAULT, STATUS', async (state, runMs) => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 20_000, rampUpMs: 2_000, rampDownMs: 5_000 }));
    await h.startProgram(conventional({ channel: 1, amplitudeUa: 8_000, rampUpMs: 800 }));
    await h.runWithHeartbeats(runMs || 3_000);
    if (state === 'ramping-down') {
      await h.request({ type: 'stop', channel: 0 });
      await h.runWithHeartbeats(1_000);
    }
    expect(h.board.channelStatus(0).state).toBe(state);
    expect(h.board.outputUa(0)).toBeGreaterThan(0);
    h.clearReceived();
    const seq = h.nextSeq();
    await h.writeRaw(encodeFrame({ type: 'estop', seq }));
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.outputUa(1)).toBe(0);
    expect(h.board.fault).toBe('estop');
    await h.clock.settle();
    expect(h.received.map((m) => m.type)).toEqual(['ack', 'fault', 'status']);
    expect(h.received[1]).toMatchObject({ code: 'estop', channel: 0xff });
    expect(h.received[2]).toMatchObject({ fault: 'estop', channels: [{ state: 'idle', amplitudeUa: 0 }, { state: 'idle', amplitudeUa: 0 }] });
    await h.close();
  });

  test('ESTOP is honoured even without a prior write settling (not awaited), inside writer.write', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 5_000, rampUpMs: 500 }));
    await h.runWithHeartbeats(1_000);
    void h.writer!.write(encodeFrame({ type: 'estop', seq: h.nextSeq() }));
    expect(h.board.outputUa(0)).toBe(0);
    await h.close();
  });

  test('ESTOP stays latched: START refused, output stays 0, until CLEAR_FAULT — which never resumes anything', async () => {
    const h = await Host.connect();
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000 }));
    await h.runWithHeartbeats(2_000);
    await h.request({ type: 'estop' });
    const estopAt = h.clock.now();
    await h.runWithHeartbeats(5_000);
    expect(h.board.fault).toBe('estop');
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'nack', code: 'faultLatched' });
    expect(await h.request({ type: 'clearFault' })).toMatchObject({ type: 'ack', ackedType: 'clearFault' });
    expect(h.board.fault).toBeNull();
    expect(h.last('status')).toMatchObject({ fault: null });
    await h.runWithHeartbeats(3_000);
    expect(h.board.channelStatus(0).state).toBe('idle');
    expect(peakUa(samples.filter((s) => s.atMs > estopAt))).toBe(0);
    // The program is still stored: a new, explicit START ramps from 0 again.
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'ack' });
    expect(h.board.outputUa(0)).toBe(0);
    await h.close();
  });

  test('max duration: the channel ramps down so it is idle exactly at durationMs, then STATUS idle', async () => {
    const h = await Host.connect();
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000, rampDownMs: 2_000, durationMs: 10_000 }));
    await h.runWithHeartbeats(7_999);
    expect(h.board.channelStatus(0).state).toBe('holding');
    await h.runWithHeartbeats(1);
    expect(h.board.channelStatus(0).state).toBe('ramping-down');
    await h.runWithHeartbeats(1_000);
    expect(h.board.outputUa(0)).toBe(5_000);
    await h.runWithHeartbeats(1_000);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.channelStatus(0).state).toBe('idle');
    await h.runWithHeartbeats(1_000);
    const last = samples.filter((s) => s.channel === 0 && s.atMs >= 10_000);
    expect(last.length).toBeGreaterThan(900);
    expect(last.every((s) => s.currentUa === 0)).toBe(true);
    const states = h.of('status').map((s) => s.channels[0]!.state);
    expect(states).toEqual<ChannelState[]>(['ramping-up', 'holding', 'ramping-down', 'idle']);
    await h.close();
  });

  test('STATUS goes out unsolicited (replyTo 0) on each state change, with uptime and amplitudes', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 2_000, rampUpMs: 200, rampDownMs: 300, durationMs: 1_000 }));
    await h.runWithHeartbeats(1_500);
    const statuses = h.of('status');
    expect(statuses.every((s) => s.replyTo === 0)).toBe(true);
    expect(statuses.map((s) => [s.uptimeMs, s.channels[0]!.state, s.channels[0]!.amplitudeUa])).toEqual([
      [0, 'ramping-up', 0],
      [200, 'holding', 2_000],
      [700, 'ramping-down', 2_000],
      [1_000, 'idle', 0],
    ]);
    await h.close();
  });

  test('a second HELLO re-negotiates without stopping output or clearing a fault (PROTOCOL.md § 6.6)', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 5_000, rampUpMs: 500 }));
    await h.runWithHeartbeats(1_000);
    expect(await h.request({ type: 'hello', minVersion: 1, maxVersion: 1 })).toMatchObject({ type: 'info' });
    expect(h.board.outputUa(0)).toBe(5_000);
    await h.request({ type: 'estop' });
    await h.request({ type: 'hello', minVersion: 1, maxVersion: 1 });
    expect(h.board.fault).toBe('estop');
    await h.close();
  });

  test('while a fault is latched SET_PROGRAM still stores (it only stores), STOP and ESTOP are accepted', async () => {
    const h = await Host.connect();
    await h.request({ type: 'estop' });
    const program = conventional({ amplitudeUa: 3_000, rampUpMs: 300 });
    expect(await h.request({ type: 'setProgram', program })).toMatchObject({ type: 'ack' });
    expect(h.board.program(0)).toEqual(program);
    expect(await h.request({ type: 'stop', channel: 0xff })).toMatchObject({ type: 'ack' });
    expect(await h.request({ type: 'estop' })).toMatchObject({ type: 'ack' });
    expect(h.board.outputUa(0)).toBe(0);
    await h.close();
  });

  test('STOP while already ramping down keeps the ramp it is on (never lengthens the output)', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000, rampDownMs: 2_000 }));
    await h.runWithHeartbeats(2_000);
    await h.request({ type: 'stop', channel: 0 });
    await h.runWithHeartbeats(1_000);
    expect(h.board.outputUa(0)).toBe(5_000);
    await h.request({ type: 'stop', channel: 0 });
    await h.runWithHeartbeats(1_000);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.channelStatus(0).state).toBe('idle');
    await h.close();
  });
});
