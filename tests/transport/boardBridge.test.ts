/**
 * The simulated board's worker bridge: every `close` is answered `closed` (the page's Disconnect waits for
 * it), whatever state the port is in, and the port opens again after it, as a real board does when it is
 * unplugged and plugged back.
 */
import { describe, expect, test } from 'vitest';
import { encodeFrame } from '../../firmware-protocol/src/index.ts';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { bridgeBoard } from '../../src/lib/transport/worker-board/boardBridge.ts';
import type { FromWorker } from '../../src/lib/transport/worker-board/bridgeMessages.ts';

function setup() {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock, channelCount: 2 });
  const posted: FromWorker[] = [];
  const bridge = bridgeBoard(board, (m) => posted.push(m), () => clock.now());
  /** Send a message and let the bridge answer (opens and closes are asynchronous). */
  const send = async (m: Parameters<typeof bridge.handle>[0]) => {
    bridge.handle(m);
    await bridge.idle;
    await clock.advance(0);
  };
  const count = (t: FromWorker['t']) => posted.filter((m) => m.t === t).length;
  return { clock, board, posted, bridge, send, count };
}

describe('simulated board bridge: open and close', () => {
  test('open then close answers closed, and the port can be opened again, 20 times in a row', async () => {
    const b = setup();
    for (let i = 1; i <= 20; i++) {
      await b.send({ t: 'open' });
      expect(b.count('opened')).toBe(i);
      expect(b.board.port.isOpen).toBe(true);
      await b.send({ t: 'close' });
      expect(b.count('closed')).toBe(i);
      expect(b.board.port.isOpen).toBe(false);
    }
    expect(b.count('openFailed')).toBe(0);
    b.board.destroy();
  });

  test('close while the board is talking (after HELLO, telemetry flowing) still answers closed', async () => {
    const b = setup();
    await b.send({ t: 'open' });
    await b.send({ t: 'write', bytes: encodeFrame({ type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 }) });
    await b.clock.advance(200);
    expect(b.count('data')).toBeGreaterThan(0);
    await b.send({ t: 'close' });
    expect(b.count('closed')).toBe(1);
    await b.send({ t: 'open' });
    expect(b.count('opened')).toBe(2);
    b.board.destroy();
  });

  test('close after an unplug answers closed; after the replug the port opens again', async () => {
    const b = setup();
    await b.send({ t: 'open' });
    await b.send({ t: 'inject', name: 'unplug' });
    expect(b.count('disconnect')).toBe(1);
    await b.send({ t: 'close' });
    expect(b.count('closed')).toBe(1);
    await b.send({ t: 'inject', name: 'replug' });
    await b.send({ t: 'open' });
    expect(b.count('opened')).toBe(2);
    b.board.destroy();
  });
});
