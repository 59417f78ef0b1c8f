/**
 * VirtualClock: timers in time order (binary heap), promises and streams settled between timers, and a
 * request/response over the simulated port completed within one advance().
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FrameDecoder, encodeFrame, type Message } from '../../firmware-protocol/src/index.ts';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';

describe('VirtualClock', () => {
  test('timers fire in due-time order, ties in the order they were set (any insertion order)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 60 }), async (delays) => {
        const clock = new VirtualClock();
        const fired: { at: number; i: number; now: number }[] = [];
        delays.forEach((d, i) => clock.setTimeout(() => fired.push({ at: d, i, now: clock.now() }), d));
        await clock.advance(100);
        const expected = delays.map((d, i) => ({ at: d, i, now: d })).sort((a, b) => a.at - b.at || a.i - b.i);
        expect(fired).toEqual(expected);
        expect(clock.pendingTimers).toBe(0);
      }),
      { numRuns: 50 },
    );
  });

  test('cleared timers never fire, even after thousands of clears (heap compaction keeps the order)', async () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    const ids: number[] = [];
    for (let i = 0; i < 5000; i++) ids.push(clock.setTimeout(() => fired.push(i), 1 + (i % 97)));
    for (let i = 0; i < 5000; i++) if (i % 3 !== 0) clock.clearTimeout(ids[i]!);
    expect(clock.pendingTimers).toBe(Math.ceil(5000 / 3));
    await clock.advance(200);
    const expected = [...Array(5000).keys()].filter((i) => i % 3 === 0).sort((a, b) => (a % 97) - (b % 97) || a - b);
    expect(fired).toEqual(expected);
  });

  test('intervals repeat on their period; clearInterval from inside the callback stops them', async () => {
    const clock = new VirtualClock();
    const at: number[] = [];
    const id = clock.setInterval(() => {
      at.push(clock.now());
      if (at.length === 4) clock.clearInterval(id);
    }, 25);
    await clock.advance(1000);
    expect(at).toEqual([25, 50, 75, 100]);
    expect(clock.pendingTimers).toBe(0);
    expect(clock.now()).toBe(1000);
  });

  test('a 0 ms timer set inside a callback runs in the same advance, at the same instant', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.setTimeout(() => {
      log.push(`a@${clock.now()}`);
      clock.setTimeout(() => log.push(`b@${clock.now()}`), 0);
    }, 10);
    await clock.advance(10);
    expect(log).toEqual(['a@10', 'b@10']);
  });

  test('promise chains settle between timers, however deep (a macrotask, not a fixed number of hops)', async () => {
    const clock = new VirtualClock();
    let depth = 0;
    let seenBySecondTimer = -1;
    clock.setTimeout(() => {
      void (async () => {
        for (let i = 0; i < 1000; i++) {
          await Promise.resolve();
          depth++;
        }
      })();
    }, 5);
    clock.setTimeout(() => (seenBySecondTimer = depth), 5);
    await clock.advance(5);
    expect(seenBySecondTimer).toBe(1000);
  });

  test('an exception in a timer rejects advance()', async () => {
    const clock = new VirtualClock();
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 1);
    await expect(clock.advance(5)).rejects.toThrow('boom');
  });

  test('wallNow follows virtual time from the start instant', async () => {
    const clock = new VirtualClock({ startWallMs: 1_000_000 });
    await clock.advance(1234);
    expect(clock.wallNow()).toBe(1_001_234);
  });
});

describe('VirtualClock with the simulated port', () => {
  async function wired() {
    const clock = new VirtualClock();
    const board = new SimulatedBoard({ clock });
    await board.port.open({ baudRate: 115_200 });
    const writer = board.port.writable!.getWriter();
    const reader = board.port.readable!.getReader();
    const decoder = new FrameDecoder();
    const received: Message[] = [];
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received.push(...decoder.push(value));
      }
    })().catch(() => {});
    return { clock, board, writer, received };
  }

  test('a request written by a timer is answered and decoded within that one advance()', async () => {
    const { clock, board, writer, received } = await wired();
    clock.setTimeout(() => void writer.write(encodeFrame({ type: 'hello', seq: 7, minVersion: 1, maxVersion: 1 })), 10);
    await clock.advance(10);
    expect(received.map((m) => m.type)).toEqual(['info']);
    expect(received[0]).toMatchObject({ replyTo: 7 });
    board.destroy();
  });

  test('request/response chains (await reply, then send the next) complete within one advance()', async () => {
    const { clock, board, writer, received } = await wired();
    const waitFor = async (n: number) => {
      while (received.length < n) await Promise.resolve();
    };
    let done = false;
    clock.setTimeout(() => {
      void (async () => {
        await writer.write(encodeFrame({ type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 }));
        await waitFor(1);
        await writer.write(encodeFrame({ type: 'getStatus', seq: 2 }));
        await waitFor(2);
        await writer.write(encodeFrame({ type: 'heartbeat', seq: 3 }));
        await waitFor(3);
        done = true;
      })();
    }, 1);
    await clock.advance(1);
    expect(done).toBe(true);
    expect(received.map((m) => m.type)).toEqual(['info', 'status', 'ack']);
    board.destroy();
  });

  test('how many microtask hops one round trip over the port takes (why settling uses a macrotask)', async () => {
    const hopsFor = async (layered: boolean): Promise<number> => {
      const clock = new VirtualClock();
      const board = new SimulatedBoard({ clock });
      await board.port.open({ baudRate: 115_200 });
      const writer = board.port.writable!.getWriter();
      let readable = board.port.readable!;
      if (layered) {
        // One pull-through stream layer, as a transport adds over port.readable.
        const inner = readable.getReader();
        readable = new ReadableStream<Uint8Array>(
          {
            async pull(c) {
              const { value, done } = await inner.read();
              if (done) c.close();
              else c.enqueue(value);
            },
          },
          { highWaterMark: 0 },
        );
      }
      const reader = readable.getReader();
      const decoder = new FrameDecoder();
      const received: Message[] = [];
      void (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          received.push(...decoder.push(value));
        }
      })().catch(() => {});
      await clock.settle();
      void writer.write(encodeFrame({ type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 }));
      let hops = 0;
      while (received.length === 0 && hops < 1000) {
        await Promise.resolve();
        hops++;
      }
      board.destroy();
      expect(received).toHaveLength(1);
      return hops;
    };
    const bare = await hopsFor(false);
    const layered = await hopsFor(true);
    // Every stream or await layered above the port (transport, client, session) adds hops, so no fixed
    // count is safe: VirtualClock settles with one macrotask, which drains them all whatever the depth.
    expect(bare).toBeGreaterThanOrEqual(1);
    expect(layered).toBeGreaterThan(bare);
  });
});
