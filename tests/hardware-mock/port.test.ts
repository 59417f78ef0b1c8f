/**
 * board.port enforces the W3C Web Serial SerialPort contract the way Chrome does
 * (https://wicg.github.io/serial/#dom-serialport), so code tested against it behaves against a real port.
 */
import { describe, expect, test } from 'vitest';
import { encodeFrame } from '../../firmware-protocol/src/index.ts';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';

function board(options: ConstructorParameters<typeof SimulatedBoard>[0] = {}) {
  const clock = new VirtualClock();
  return { clock, board: new SimulatedBoard({ clock, ...options }) };
}

async function rejectsWith(promise: Promise<unknown>, name: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a ${name}`).toBeInstanceOf(Error);
  expect((error as Error).name).toBe(name);
}

describe('SimulatedSerialPort: the Web Serial contract', () => {
  test('no I/O before open: streams are null, close/getSignals/setSignals reject with InvalidStateError', async () => {
    const { board: b } = board();
    expect(b.port.readable).toBeNull();
    expect(b.port.writable).toBeNull();
    await rejectsWith(b.port.close(), 'InvalidStateError');
    await rejectsWith(b.port.getSignals(), 'InvalidStateError');
    await rejectsWith(b.port.setSignals({ dataTerminalReady: true }), 'InvalidStateError');
    b.destroy();
  });

  test('open() needs a positive integer baudRate (TypeError), and opens the streams', async () => {
    const { board: b } = board();
    await rejectsWith(b.port.open({} as SerialOptions), 'TypeError');
    await rejectsWith(b.port.open({ baudRate: 0 }), 'TypeError');
    await rejectsWith(b.port.open({ baudRate: 115_200, dataBits: 9 as 8 }), 'TypeError');
    expect(b.port.readable).toBeNull();
    await b.port.open({ baudRate: 115_200 });
    expect(b.port.readable).toBeInstanceOf(ReadableStream);
    expect(b.port.writable).toBeInstanceOf(WritableStream);
    expect(await b.port.getSignals()).toEqual({ dataCarrierDetect: true, clearToSend: true, ringIndicator: false, dataSetReady: true });
    b.destroy();
  });

  test('open twice rejects with InvalidStateError and leaves the port open', async () => {
    const { board: b } = board();
    await b.port.open({ baudRate: 115_200 });
    await rejectsWith(b.port.open({ baudRate: 115_200 }), 'InvalidStateError');
    expect(b.port.readable).not.toBeNull();
    b.destroy();
  });

  test('one reader and one writer at a time: a second lock throws TypeError', async () => {
    const { board: b } = board();
    await b.port.open({ baudRate: 115_200 });
    const reader = b.port.readable!.getReader();
    const writer = b.port.writable!.getWriter();
    expect(() => b.port.readable!.getReader()).toThrow(TypeError);
    expect(() => b.port.writable!.getWriter()).toThrow(TypeError);
    reader.releaseLock();
    writer.releaseLock();
    expect(() => b.port.readable!.getReader().releaseLock()).not.toThrow();
    b.destroy();
  });

  test('close() while a stream is locked rejects with TypeError and the port stays open', async () => {
    const { board: b } = board();
    await b.port.open({ baudRate: 115_200 });
    const reader = b.port.readable!.getReader();
    await rejectsWith(b.port.close(), 'TypeError');
    expect(b.port.readable).not.toBeNull();
    reader.releaseLock();
    const writer = b.port.writable!.getWriter();
    await rejectsWith(b.port.close(), 'TypeError');
    writer.releaseLock();
    await b.port.close();
    expect(b.port.readable).toBeNull();
    b.destroy();
  });

  test('use after close: streams are null, an old reader ends, an old writer refuses, close again is InvalidStateError', async () => {
    const { clock, board: b } = board();
    await b.port.open({ baudRate: 115_200 });
    const readable = b.port.readable!;
    const writable = b.port.writable!;
    await b.port.close();
    expect(b.port.readable).toBeNull();
    expect(b.port.writable).toBeNull();
    const reader = readable.getReader();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    const writer = writable.getWriter();
    await rejectsWith(writer.write(encodeFrame({ type: 'heartbeat', seq: 1 })), 'InvalidStateError');
    await rejectsWith(b.port.close(), 'InvalidStateError');
    // The board heard nothing.
    await clock.advance(10);
    expect(b.stats.framesIn).toBe(0);
    b.destroy();
  });

  test('a port can be closed and opened again; bytes sent while closed are lost, not queued', async () => {
    const { clock, board: b } = board();
    await b.port.open({ baudRate: 115_200 });
    let w = b.port.writable!.getWriter();
    await w.write(encodeFrame({ type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 })); // INFO goes out, nobody reads
    w.releaseLock();
    await b.port.close();
    await b.port.open({ baudRate: 9_600 });
    const reader = b.port.readable!.getReader();
    w = b.port.writable!.getWriter();
    await w.write(encodeFrame({ type: 'getStatus', seq: 2 }));
    await clock.settle();
    const { value } = await reader.read();
    // The first bytes after reopening are the STATUS reply (0x84 after COBS code byte), not the old INFO.
    expect(value![2]).toBe(0x84);
    b.destroy();
  });

  test('writes must be BufferSource: anything else errors the stream with TypeError', async () => {
    const { board: b } = board();
    await b.port.open({ baudRate: 115_200 });
    const writer = b.port.writable!.getWriter();
    await rejectsWith(writer.write('hello' as unknown as Uint8Array), 'TypeError');
    b.destroy();
  });

  test('getInfo() reports the USB ids; serialNumber is exposed for port identity', () => {
    const { board: b } = board({ usbVendorId: 0x1234, usbProductId: 0xabcd, serialNumber: 'SIM-XYZ' });
    expect(b.port.getInfo()).toEqual({ usbVendorId: 0x1234, usbProductId: 0xabcd });
    expect(b.port.serialNumber).toBe('SIM-XYZ');
    expect(b.serialNumber).toBe('SIM-XYZ');
    expect(new SimulatedBoard({ clock: new VirtualClock() }).port.getInfo()).toEqual({ usbVendorId: 0x1209, usbProductId: 0x5354 });
    b.destroy();
  });

  test('unplug: streams error with NetworkError, disconnect event + ondisconnect fire, open fails until replug', async () => {
    const { board: b } = board();
    const events: string[] = [];
    b.port.addEventListener('disconnect', () => events.push('disconnect'));
    b.port.addEventListener('connect', () => events.push('connect'));
    b.port.ondisconnect = () => events.push('ondisconnect');
    b.port.onconnect = () => events.push('onconnect');
    await b.port.open({ baudRate: 115_200 });
    const reader = b.port.readable!.getReader();
    const writer = b.port.writable!.getWriter();
    const pendingRead = reader.read().then(
      () => null,
      (e: unknown) => e,
    );
    b.inject.unplug();
    expect(events).toEqual(['disconnect', 'ondisconnect']);
    expect(b.port.connected).toBe(false);
    const readError = await pendingRead;
    expect(readError).toBeInstanceOf(DOMException);
    expect((readError as DOMException).name).toBe('NetworkError');
    await rejectsWith(writer.write(new Uint8Array([1, 2, 0])), 'NetworkError');
    expect(b.port.readable).toBeNull();
    await rejectsWith(b.port.getSignals(), 'NetworkError');
    // Even with the cable back, the old open session stays dead until close() + open().
    b.inject.replug();
    expect(b.port.readable).toBeNull();
    expect(b.port.writable).toBeNull();
    await rejectsWith(b.port.open({ baudRate: 115_200 }), 'InvalidStateError');
    b.inject.unplug();
    events.length = 2;
    // The host releases its locks and closes, as after any fatal error; reopening needs the cable back.
    reader.releaseLock();
    writer.releaseLock();
    await b.port.close();
    await rejectsWith(b.port.open({ baudRate: 115_200 }), 'NetworkError');
    b.inject.replug();
    expect(events).toEqual(['disconnect', 'ondisconnect', 'connect', 'onconnect']);
    expect(b.port.connected).toBe(true);
    await b.port.open({ baudRate: 115_200 });
    expect(b.port.readable).not.toBeNull();
    b.destroy();
  });

  test('removeEventListener stops notifications', () => {
    const { board: b } = board();
    let n = 0;
    const listener = () => n++;
    b.port.addEventListener('disconnect', listener);
    b.port.removeEventListener('disconnect', listener);
    b.inject.unplug();
    expect(n).toBe(0);
    b.destroy();
  });

  test('a cancelled reader gives way to a fresh readable while the port stays open', async () => {
    const { clock, board: b } = board();
    await b.port.open({ baudRate: 115_200 });
    const first = b.port.readable!;
    const reader = first.getReader();
    await reader.cancel();
    reader.releaseLock();
    const second = b.port.readable!;
    expect(second).not.toBe(first);
    const r2 = second.getReader();
    const w = b.port.writable!.getWriter();
    await w.write(encodeFrame({ type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 }));
    await clock.settle();
    const { value } = await r2.read();
    expect(value!.length).toBeGreaterThan(0);
    b.destroy();
  });

  test('bytes the host never reads are dropped past the backlog and counted, like a UART overrun', async () => {
    const { clock, board: b } = board({ telemetryRateHz: 10_000, telemetryBatchMs: 10 });
    await b.port.open({ baudRate: 115_200 });
    const w = b.port.writable!.getWriter();
    const send = (m: Parameters<typeof encodeFrame>[0]) => w.write(encodeFrame(m));
    await send({ type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 });
    await send({
      type: 'setProgram',
      seq: 2,
      program: { channel: 0, mode: 'conventional', waveform: 'symmetric-biphasic', frequencyDeciHz: 1000, pulseWidthUs: 100, amplitudeUa: 1000, durationMs: 600_000, rampUpMs: 100, rampDownMs: 100, burstPulses: 0, burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0 },
    });
    await send({ type: 'start', seq: 3, channel: 0 });
    for (let i = 0; i < 20; i++) {
      await clock.advance(100);
      await send({ type: 'heartbeat', seq: 10 + i });
    }
    // 10 kHz × 8 bytes ≈ 80 kB/s for 2 s: under the 1 MiB backlog, nothing dropped yet.
    expect(b.stats.rxOverrunBytes).toBe(0);
    for (let i = 0; i < 150; i++) {
      await clock.advance(100);
      await send({ type: 'heartbeat', seq: 100 + i });
    }
    expect(b.stats.rxOverrunBytes).toBeGreaterThan(0);
    b.destroy();
  });
});
