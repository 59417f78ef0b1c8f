/**
 * Injected faults: electrode off, cable unplugged, byte corruption, byte loss, latency, brown-out reset and
 * frozen firmware. Each must end with zero output (checked on every sample) and the right signal.
 */
import { describe, expect, test } from 'vitest';
import { encodeFrame } from '../../firmware-protocol/src/index.ts';
import { Host, conventional, peakUa } from './harness.ts';

describe('electrode off / on', () => {
  test('while stimulating: output 0 at once, FAULT electrodeOff with the measured impedance, latched', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000 }));
    await h.runWithHeartbeats(2_000);
    h.board.inject.electrodeOff(0);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.fault).toBe('electrodeOff');
    await h.clock.settle();
    const fault = h.last('fault')!;
    expect(fault).toMatchObject({ code: 'electrodeOff', channel: 0 });
    expect(fault.detail).toBeGreaterThanOrEqual(1_000_000);
    expect(await h.request({ type: 'measureImpedance', channel: 0 })).toMatchObject({ ok: false });
    // Electrode back on: impedance fine again, but the fault stays until CLEAR_FAULT, and nothing restarts.
    h.board.inject.electrodeOn(0);
    expect(await h.request({ type: 'measureImpedance', channel: 0 })).toMatchObject({ ok: true });
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'nack', code: 'faultLatched' });
    await h.runWithHeartbeats(1_000);
    expect(h.board.outputUa(0)).toBe(0);
    await h.close();
  });

  test('while idle: no fault, but START is refused for impedance until it is back on', async () => {
    const h = await Host.connect();
    await h.request({ type: 'setProgram', program: conventional() });
    h.board.inject.electrodeOff(0);
    expect(h.board.fault).toBeNull();
    const nack = await h.request({ type: 'start', channel: 0 });
    expect(nack).toMatchObject({ type: 'nack', code: 'impedanceFail', bound: 5_000 });
    h.board.inject.electrodeOn(0);
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'ack' });
    await h.close();
  });

  test('on the other channel: every channel stops (a latched fault stops the board)', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ channel: 0, amplitudeUa: 4_000, rampUpMs: 400 }));
    await h.startProgram(conventional({ channel: 1, amplitudeUa: 4_000, rampUpMs: 400 }));
    await h.runWithHeartbeats(1_000);
    h.board.inject.electrodeOff(1);
    expect([h.board.outputUa(0), h.board.outputUa(1)]).toEqual([0, 0]);
    await h.clock.settle();
    expect(h.last('fault')).toMatchObject({ code: 'electrodeOff', channel: 1 });
    await h.close();
  });
});

describe('cable unplugged', () => {
  const phases: [string, (h: Host) => Promise<void>][] = [
    ['ramp-up', (h) => h.runWithHeartbeats(1_000)],
    ['hold', (h) => h.runWithHeartbeats(3_000)],
    [
      'ramp-down',
      async (h) => {
        await h.runWithHeartbeats(3_000);
        await h.request({ type: 'stop', channel: 0 });
        await h.runWithHeartbeats(500);
      },
    ],
  ];
  test.each(phases)('during %s: disconnect event, streams error, and the board’s watchdog zeroes output within watchdogMs', async (_phase, reach) => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 20_000, rampUpMs: 2_000, rampDownMs: 5_000 }));
    await reach(h);
    expect(h.board.outputUa(0)).toBeGreaterThan(0);
    const samples = h.recordSamples();
    let disconnected = 0;
    h.board.port.addEventListener('disconnect', () => disconnected++);
    await h.send({ type: 'heartbeat' });
    const lastFrameAt = h.clock.now();
    h.board.inject.unplug();
    expect(disconnected).toBe(1);
    await h.clock.settle();
    expect((h.readError as DOMException).name).toBe('NetworkError');
    await expect(h.writer!.write(encodeFrame({ type: 'heartbeat', seq: 9 }))).rejects.toMatchObject({ name: 'NetworkError' });
    await h.clock.advance(600);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.fault).toBe('watchdog');
    expect(samples.filter((s) => s.atMs > lastFrameAt + 500).every((s) => s.currentUa === 0)).toBe(true);
    // Replug and reopen: the board reports the latched fault and plays nothing until told to.
    h.board.inject.replug();
    h.reader!.releaseLock();
    h.writer!.releaseLock();
    await h.board.port.close();
    await h.open();
    const status = await h.request({ type: 'getStatus' });
    expect(status).toMatchObject({ type: 'status', fault: 'watchdog', channels: [{ state: 'idle' }, { state: 'idle' }] });
    await h.close();
  });
});

describe('byte corruption, loss and latency', () => {
  test('1 % corruption both ways for 10 minutes: no sample above the accepted program, frames dropped and counted', async () => {
    const h = await Host.connect({ seed: 11 });
    const program = conventional({ amplitudeUa: 15_000, rampUpMs: 1_500, durationMs: 3_600_000 });
    await h.startProgram(program);
    const samples = h.recordSamples();
    h.board.inject.corruption(0.01);
    // A host that keeps trying to raise the amplitude a little and reprogram — every frame may be hit.
    const id = h.clock.setInterval(() => {
      void h.send({ type: 'setAmplitude', channel: 0, amplitudeUa: 15_000 });
    }, 1_000);
    await h.runWithHeartbeats(600_000);
    h.clock.clearInterval(id);
    const drops = h.board.stats.drops;
    expect(drops.crc + drops.cobs + drops.length + drops.unknownType + drops.version + drops.malformed).toBeGreaterThan(50);
    expect(h.decoder.droppedTotal).toBeGreaterThan(50);
    // Nothing the board played was outside the accepted program: peak ≤ 15 mA on channel 0, nothing on 1.
    expect(peakUa(samples, 0)).toBeLessThanOrEqual(15_000);
    expect(peakUa(samples, 1)).toBe(0);
    expect(h.board.program(0)).toEqual(program);
    await h.close();
  });

  test('corruption with only heartbeats getting through rarely enough: the watchdog still ends it', async () => {
    const h = await Host.connect({ seed: 3 });
    await h.startProgram(conventional({ amplitudeUa: 5_000, rampUpMs: 500, durationMs: 3_600_000 }));
    h.board.inject.corruption(0.5);
    await h.runWithHeartbeats(20_000);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.fault).toBe('watchdog');
    await h.close();
  });

  test('byte loss: lost frames are never half-executed; with total loss the watchdog zeroes output', async () => {
    const h = await Host.connect({ seed: 5 });
    await h.startProgram(conventional({ amplitudeUa: 5_000, rampUpMs: 500, durationMs: 3_600_000 }));
    const samples = h.recordSamples();
    h.board.inject.loss(0.02);
    await h.runWithHeartbeats(30_000);
    expect(h.decoder.droppedTotal + h.board.stats.drops.cobs + h.board.stats.drops.crc).toBeGreaterThan(0);
    expect(peakUa(samples)).toBeLessThanOrEqual(5_000);
    h.board.inject.loss(1);
    const cutAt = h.clock.now();
    await h.runWithHeartbeats(1_000);
    expect(h.board.outputUa(0)).toBe(0);
    expect(samples.filter((s) => s.atMs > cutAt + 500).every((s) => s.currentUa === 0)).toBe(true);
    await h.close();
  });

  test('latency delays bytes both ways (reply after 2 × latency) and keeps their order', async () => {
    const h = await Host.connect();
    h.board.inject.latencyMs(30);
    const seqs = [h.nextSeq(), h.nextSeq(), h.nextSeq()];
    for (const seq of seqs) await h.send({ type: 'heartbeat', seq });
    await h.clock.advance(29);
    expect(h.board.stats.framesIn).toBe(1); // only the HELLO so far
    await h.clock.advance(1);
    expect(h.board.stats.framesIn).toBe(4);
    await h.clock.advance(29);
    expect(seqs.map((s) => h.replyTo(s))).toEqual([undefined, undefined, undefined]);
    await h.clock.advance(1);
    expect(h.received.slice(1).map((m) => ('replyTo' in m ? m.replyTo : 0))).toEqual(seqs);
    await h.close();
  });

  test('latency longer than the watchdog period trips the watchdog even with a live host', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 5_000, rampUpMs: 500 }));
    await h.runWithHeartbeats(1_000);
    h.board.inject.latencyMs(700);
    await h.runWithHeartbeats(1_000);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.fault).toBe('watchdog');
    await h.close();
  });

  test('an ESTOP through added latency acts when its bytes arrive, not before', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 5_000, rampUpMs: 500 }));
    await h.runWithHeartbeats(1_000);
    h.board.inject.latencyMs(40);
    await h.send({ type: 'estop' });
    expect(h.board.outputUa(0)).toBe(5_000);
    await h.clock.advance(40);
    expect(h.board.outputUa(0)).toBe(0);
    await h.close();
  });
});

describe('brown-out reset', () => {
  test('output 0, programs and HELLO lost, unsolicited FAULT reset; only HELLO/ESTOP until a new HELLO', async () => {
    const h = await Host.connect();
    const samples = h.recordSamples();
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000 }));
    await h.runWithHeartbeats(3_000);
    h.board.inject.reset();
    const resetAt = h.clock.now();
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.helloDone).toBe(false);
    expect(h.board.program(0)).toBeNull();
    expect(h.board.fault).toBe('reset');
    await h.clock.settle();
    expect(h.last('fault')).toMatchObject({ seq: 1, code: 'reset', channel: 0xff });
    expect(h.last('status')).toMatchObject({ uptimeMs: 0, helloDone: false, fault: 'reset' });
    expect(await h.request({ type: 'heartbeat' })).toMatchObject({ type: 'nack', code: 'helloRequired' });
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'nack', code: 'helloRequired' });
    await h.clock.advance(2_000);
    await h.request({ type: 'hello', minVersion: 1, maxVersion: 1 });
    expect(h.board.helloDone).toBe(true);
    // Still latched after HELLO; the lost program has to be sent again.
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'nack', code: 'faultLatched' });
    await h.request({ type: 'clearFault' });
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'nack', code: 'noProgram' });
    expect(samples.filter((s) => s.atMs > resetAt).every((s) => s.currentUa === 0)).toBe(true);
    await h.close();
  });
});

describe('frozen firmware', () => {
  test('stops answering; its hardware watchdog cuts the output within watchdogMs; silent until unfrozen as after a reset', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000 }));
    await h.runWithHeartbeats(500); // mid-ramp: 5 mA
    const samples = h.recordSamples();
    h.board.inject.freeze();
    const frozenAt = h.clock.now();
    h.clearReceived();
    await h.runWithHeartbeats(499);
    // The output stage holds its last level; no ramping, no answers, no telemetry.
    expect(h.board.outputUa(0)).toBe(5_000);
    expect(h.received).toEqual([]);
    await h.runWithHeartbeats(1);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.stats.watchdogTrips).toBe(1);
    expect(samples.filter((s) => s.atMs > frozenAt + 500).every((s) => s.currentUa === 0)).toBe(true);
    expect(peakUa(samples)).toBe(5_000);
    await h.runWithHeartbeats(2_000);
    expect(h.received).toEqual([]);
    expect(await h.request({ type: 'getStatus' }).catch((e: Error) => e.message)).toMatch(/no reply/);
    h.board.inject.unfreeze();
    await h.clock.settle();
    expect(h.received.map((m) => m.type)).toEqual(['fault', 'status']);
    expect(h.last('fault')).toMatchObject({ code: 'reset' });
    expect(h.board.helloDone).toBe(false);
    await h.close();
  });
});
