/**
 * The in-browser simulated board can be flashed with a defective simulated firmware (for Board check) only
 * while its port is closed; a flash gives a fresh board; messages sent during a flash are handled after
 * it, in order; and outside a flash every message goes to the board at once.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { encodeFrame } from '../../firmware-protocol/src/index.ts';
import { VirtualClock } from '../../hardware-mock/src/index.ts';
import { hostBoard, type BoardHost } from '../../src/lib/transport/worker-board/boardHost.ts';
import type { FromWorker } from '../../src/lib/transport/worker-board/bridgeMessages.ts';

let host: BoardHost | null = null;
afterEach(() => host?.board.destroy());

async function settle(clock: VirtualClock): Promise<void> {
  for (let i = 0; i < 5; i++) await clock.advance(0);
}

function setup() {
  const clock = new VirtualClock();
  const posted: FromWorker[] = [];
  host = hostBoard((m) => posted.push(m), () => clock.now(), clock);
  return { clock, posted, host, kinds: () => posted.map((m) => m.t).filter((t) => t !== 'data') };
}

/** Open the port, say HELLO (which arms the watchdog) and go silent for 2 s. */
async function helloThenSilence(s: ReturnType<typeof setup>): Promise<number> {
  s.host.handle({ t: 'open' });
  await settle(s.clock);
  s.host.handle({ t: 'write', bytes: encodeFrame({ type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 }) });
  await s.clock.advance(2_000);
  return s.host.board.stats.watchdogTrips;
}

describe('simulated board host: flashing', () => {
  test('the shipped firmware trips its watchdog on silence; the watchdog-disabled image does not', async () => {
    const shipped = setup();
    expect(shipped.host.firmware).toBe('shipped');
    expect(await helloThenSilence(shipped)).toBeGreaterThanOrEqual(1);
    shipped.host.board.destroy();

    const s = setup();
    const before = s.host.board;
    s.host.handle({ t: 'flash', firmware: 'watchdog-disabled' });
    await settle(s.clock);
    expect(s.posted).toContainEqual({ t: 'flashed', firmware: 'watchdog-disabled' });
    expect(s.host.board).not.toBe(before);
    expect(s.host.firmware).toBe('watchdog-disabled');
    expect(await helloThenSilence(s)).toBe(0);
  });

  test('a flash is refused while the port is open, and the board is left as it was', async () => {
    const s = setup();
    s.host.handle({ t: 'open' });
    await settle(s.clock);
    const before = s.host.board;
    s.host.handle({ t: 'flash', firmware: 'accepts-every-program' });
    await settle(s.clock);
    expect(s.posted.find((m) => m.t === 'flashFailed')).toMatchObject({ message: expect.stringMatching(/disconnect before flashing/) });
    expect(s.host.board).toBe(before);
    expect(s.host.firmware).toBe('shipped');
    expect(before.port.isOpen).toBe(true);
  });

  test('an unknown firmware name is refused with its name', async () => {
    const s = setup();
    s.host.handle({ t: 'flash', firmware: 'made-up' as never });
    await settle(s.clock);
    expect(s.posted.find((m) => m.t === 'flashFailed')).toMatchObject({ message: expect.stringMatching(/made-up/) });
    expect(s.host.firmware).toBe('shipped');
  });

  test('an open sent during a flash waits for it and opens the new board', async () => {
    const s = setup();
    s.host.handle({ t: 'flash', firmware: 'no-slew-limit' });
    s.host.handle({ t: 'open' });
    await settle(s.clock);
    expect(s.kinds()).toEqual(['flashed', 'opened']);
    expect(s.host.board.port.isOpen).toBe(true);
  });

  test('a close queued before a flash is answered first, then the flash goes through', async () => {
    const s = setup();
    s.host.handle({ t: 'open' });
    s.host.handle({ t: 'close' });
    s.host.handle({ t: 'flash', firmware: 'watchdog-disabled' });
    await settle(s.clock);
    expect(s.kinds()).toEqual(['opened', 'closed', 'flashed']);
  });
});
