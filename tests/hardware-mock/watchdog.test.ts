/**
 * The firmware watchdog: output to 0 and fault 'watchdog' latched exactly watchdogMs after the last valid
 * frame; corrupted frames do not feed it; a live host (HEARTBEAT every 100 ms) keeps it quiet for hours.
 */
import { describe, expect, test } from 'vitest';
import { encodeFrame } from '../../firmware-protocol/src/index.ts';
import { Host, conventional } from './harness.ts';

async function stimulating(watchdogMs = 500): Promise<Host> {
  const h = await Host.connect({ watchdogMs });
  await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000, durationMs: 600_000 }));
  await h.runWithHeartbeats(2_000);
  expect(h.board.outputUa(0)).toBe(10_000);
  return h;
}

describe('watchdog', () => {
  test('trips exactly watchdogMs after the last valid frame: output 0, FAULT watchdog, STATUS, latched', async () => {
    const h = await stimulating();
    const samples = h.recordSamples();
    await h.send({ type: 'heartbeat' });
    const lastFrameAt = h.clock.now();
    await h.clock.advance(499);
    expect(h.board.outputUa(0)).toBe(10_000);
    expect(h.board.fault).toBeNull();
    await h.clock.advance(1);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.fault).toBe('watchdog');
    expect(h.board.stats.watchdogTrips).toBe(1);
    const fault = h.last('fault');
    expect(fault).toMatchObject({ code: 'watchdog', channel: 0xff, detail: 500 });
    expect(h.last('status')).toMatchObject({ fault: 'watchdog', channels: [{ state: 'idle' }, { state: 'idle' }] });
    // No sample after the deadline carries current.
    expect(samples.filter((s) => s.atMs > lastFrameAt + 500).every((s) => s.currentUa === 0)).toBe(true);
    // Frames afterwards are answered again, but nothing resumes.
    await h.runWithHeartbeats(2_000);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.fault).toBe('watchdog');
    expect(await h.request({ type: 'start', channel: 0 })).toMatchObject({ type: 'nack', code: 'faultLatched', value: 2 });
    await h.close();
  });

  test('a shorter watchdog period is honoured (150 ms)', async () => {
    const h = await stimulating(150);
    await h.send({ type: 'heartbeat' });
    await h.clock.advance(149);
    expect(h.board.outputUa(0)).toBe(10_000);
    await h.clock.advance(1);
    expect(h.board.outputUa(0)).toBe(0);
    await h.close();
  });

  test('corrupted frames do not feed it: a stream of bad-CRC heartbeats still trips it on time', async () => {
    const h = await stimulating();
    await h.send({ type: 'heartbeat' });
    const start = h.clock.now();
    for (let i = 0; i < 10; i++) {
      await h.clock.advance(50);
      if (h.clock.now() - start >= 500) break;
      const bad = encodeFrame({ type: 'heartbeat', seq: h.nextSeq() }).slice();
      bad[3]! ^= 0x01; // breaks the CRC
      await h.writeRaw(bad);
    }
    expect(h.clock.now() - start).toBe(500);
    expect(h.board.outputUa(0)).toBe(0);
    expect(h.board.fault).toBe('watchdog');
    expect(h.board.stats.drops.crc + h.board.stats.drops.cobs).toBeGreaterThanOrEqual(9);
    await h.close();
  });

  test('frames with a good CRC but a malformed body do not feed it either', async () => {
    const h = await stimulating();
    await h.send({ type: 'heartbeat' });
    // A START with a 2-byte body: decodable header, NACKed badLength, but not a valid frame.
    const { cobsEncode, crc32c } = await import('../../firmware-protocol/src/index.ts');
    const raw = new Uint8Array([1, 0x04, 9, 9, 0, 0, 0, 0, 0, 0]);
    new DataView(raw.buffer).setUint32(6, crc32c(raw, 0, 6), true);
    for (let i = 0; i < 9; i++) {
      await h.clock.advance(50);
      await h.writeRaw(new Uint8Array([...cobsEncode(raw), 0]));
    }
    await h.clock.advance(50);
    expect(h.of('nack').filter((n) => n.code === 'badLength').length).toBe(9);
    expect(h.board.fault).toBe('watchdog');
    await h.close();
  });

  test('a live host (HEARTBEAT every 100 ms) keeps a 1-hour session running without a trip', async () => {
    const h = await Host.connect();
    await h.startProgram(conventional({ amplitudeUa: 10_000, rampUpMs: 1_000, durationMs: 3 * 3_600_000 }));
    await h.runWithHeartbeats(3_600_000);
    expect(h.board.stats.watchdogTrips).toBe(0);
    expect(h.board.fault).toBeNull();
    expect(h.board.outputUa(0)).toBe(10_000);
    await h.close();
  });

  test('it is not armed before HELLO (a board nobody talks to latches nothing)', async () => {
    const h = await Host.connect({}, { hello: false });
    await h.clock.advance(5_000);
    expect(h.board.fault).toBeNull();
    expect(h.board.stats.watchdogTrips).toBe(0);
    await h.close();
  });

  test('after HELLO it trips once per silence (not again and again), re-arming on the next frame', async () => {
    const h = await Host.connect();
    await h.clock.advance(3_000);
    expect(h.board.stats.watchdogTrips).toBe(1);
    expect(h.of('fault')).toHaveLength(1);
    await h.request({ type: 'clearFault' });
    await h.clock.advance(499);
    expect(h.board.stats.watchdogTrips).toBe(1);
    await h.clock.advance(1);
    expect(h.board.stats.watchdogTrips).toBe(2);
    await h.close();
  });
});
