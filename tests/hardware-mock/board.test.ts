/** Construction options, the observation API's own guards, and destroy(). */
import { describe, expect, test } from 'vitest';
import { FrameDecoder, encodeFrame } from '../../firmware-protocol/src/index.ts';
import { BoardOptionError, SimulatedBoard, SimulatedBoardError, VirtualClock } from '../../hardware-mock/src/index.ts';
import { Host, conventional } from './harness.ts';

describe('options', () => {
  const bad: [string, ConstructorParameters<typeof SimulatedBoard>[0], string][] = [
    ['channelCount 0', { channelCount: 0 }, 'channelCount'],
    ['a fractional watchdog', { watchdogMs: 10.5 }, 'watchdogMs'],
    ['a watchdog beyond INFO’s u16', { watchdogMs: 70_000 }, 'watchdogMs'],
    ['a telemetry rate whose interval does not fit u16 µs', { telemetryRateHz: 10 }, 'telemetryRateHz'],
    ['a non-ASCII serial number', { serialNumber: 'SIM-ü' }, 'serialNumber'],
    ['a 33-character serial number', { serialNumber: 'X'.repeat(33) }, 'serialNumber'],
    ['no protocol versions', { protocolVersions: [] }, 'protocolVersions'],
    ['a zero slew cap', { caps: { maxSlewUaPerS: 0 } }, 'caps.maxSlewUaPerS'],
    ['min frequency above max', { caps: { minFrequencyDeciHz: 2000, maxFrequencyDeciHz: 1500 } }, 'caps.maxFrequencyDeciHz'],
    ['a negative series resistance', { load: { seriesOhm: -1, parallelOhm: 1000, parallelNf: 100 } }, 'load.seriesOhm'],
  ];
  test.each(bad)('refuses %s with BoardOptionError saying expected vs got', (_name, options, option) => {
    const make = () => new SimulatedBoard({ clock: new VirtualClock(), ...options });
    expect(make).toThrow(BoardOptionError);
    try {
      make();
    } catch (e) {
      expect(e).toMatchObject({ name: 'BoardOptionError', code: 'BAD_OPTION', option });
      expect((e as Error).message).toMatch(/expected .+, got /);
    }
  });

  test('inject arguments are checked too', () => {
    const b = new SimulatedBoard({ clock: new VirtualClock() });
    expect(() => b.inject.corruption(1.5)).toThrow(BoardOptionError);
    expect(() => b.inject.loss(-0.1)).toThrow(BoardOptionError);
    expect(() => b.inject.latencyMs(Number.NaN)).toThrow(BoardOptionError);
    expect(() => b.inject.electrodeOff(2)).toThrow(BoardOptionError);
    expect(() => b.outputUa(-1)).toThrow(BoardOptionError);
    b.destroy();
  });
});

describe('on the real clock (the browser demo)', () => {
  test('with no clock given it runs on realClock: frames are answered inside write(), destroy stops its interval', async () => {
    const b = new SimulatedBoard();
    await b.port.open({ baudRate: 115_200 });
    const writer = b.port.writable!.getWriter();
    const reader = b.port.readable!.getReader();
    await writer.write(encodeFrame({ type: 'hello', seq: 5, minVersion: 1, maxVersion: 1 }));
    expect(b.helloDone).toBe(true);
    const { value } = await reader.read();
    expect(new FrameDecoder().push(value!)).toMatchObject([{ type: 'info', replyTo: 5 }]);
    b.destroy();
    await expect(reader.read()).rejects.toMatchObject({ name: 'NetworkError' });
  });
});

describe('destroy()', () => {
  test('clears every timer (tick, watchdog, latency), ends the streams, and leaves the board inert', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 1_000, rampUpMs: 100 }));
    h.board.inject.latencyMs(100);
    await h.send({ type: 'heartbeat' });
    expect(h.clock.pendingTimers).toBeGreaterThan(1);
    h.board.destroy();
    expect(h.clock.pendingTimers).toBe(0);
    await h.clock.settle();
    expect(h.readError).toBeInstanceOf(DOMException);
    expect(() => h.board.outputUa(0)).toThrow(SimulatedBoardError);
    h.board.destroy(); // idempotent
  });
});

describe('observation API', () => {
  test('onFrame sees every frame in and out; unsubscribing stops it', async () => {
    const h = await Host.connect();
    const seen: string[] = [];
    const off = h.board.onFrame((direction, m) => seen.push(`${direction}:${m.type}`));
    await h.request({ type: 'getStatus' });
    off();
    await h.request({ type: 'heartbeat' });
    expect(seen).toEqual(['in:getStatus', 'out:status']);
    expect(h.board.stats).toMatchObject({ framesIn: 3, framesOut: 3, nacksSent: 0, watchdogTrips: 0 });
    await h.close();
  });

  test('messages handed to onFrame are not reused afterwards (telemetry samples stay as sent)', async () => {
    const h = await Host.connect();
    const telemetry: { samples: { currentUa: number }[] }[] = [];
    h.board.onFrame((direction, m) => {
      if (direction === 'out' && m.type === 'telemetry') telemetry.push(m);
    });
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000 }));
    await h.runWithHeartbeats(500);
    const firstValues = telemetry[0]!.samples.map((s) => s.currentUa);
    await h.runWithHeartbeats(500);
    expect(telemetry[0]!.samples.map((s) => s.currentUa)).toEqual(firstValues);
    expect(telemetry[0]!.samples).not.toBe(telemetry[1]!.samples);
    await h.close();
  });

  test('onSample unsubscribes', async () => {
    const h = await Host.connect();
    let n = 0;
    const off = h.board.onSample(() => n++);
    await h.clock.advance(10);
    off();
    await h.clock.advance(10);
    expect(n).toBe(20);
    await h.close();
  });
});
