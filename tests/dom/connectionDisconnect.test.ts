/**
 * BoardConnectionState while a board is being disconnected: STOP/Space/Escape (connection.estop()) still reach
 * the board as long as its link is open, disconnecting with output on ramps it down first and says so, and
 * a reconnect after a disconnect works. Real client and simulated board on a virtual clock.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { StimulatorClient } from '../../src/lib/device/StimulatorClient.ts';
import { createSimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';
import { PADS_5X5_CM2 } from '../fixtures/electrodes.ts';
import { PROGRAM } from '../fixtures/records.ts';

const bench = vi.hoisted(() => ({ clock: null as unknown, board: null as unknown }));

vi.mock('../../src/ui/state/openDevice.ts', () => ({
  async openDevice() {
    const clock = bench.clock as VirtualClock;
    const board = bench.board as SimulatedBoard;
    const transport = createSimulatedTransport(board);
    const device = new StimulatorClient(transport, { clock });
    return { device, transport, simulatedPort: null, close: () => device.disconnect() };
  },
}));

const { BoardConnectionState } = await import('../../src/ui/state/connection.svelte.ts');

let board: SimulatedBoard;
let clock: VirtualClock;

afterEach(() => board?.destroy());

function setup() {
  clock = new VirtualClock();
  board = new SimulatedBoard({ clock });
  bench.clock = clock;
  bench.board = board;
  const connection = new BoardConnectionState(null);
  connection.setLimits({ electrodeAreasCm2: PADS_5X5_CM2 });
  return connection;
}

async function run<T>(promise: Promise<T>, maxMs = 10_000): Promise<T> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let t = 0; t < maxMs && !done; t += 10) await clock.advance(10);
  expect(done).toBe(true);
  return promise;
}

type Store = ReturnType<typeof setup>;

/** Connect and run channel 1 at 10 mA with a 10 s ramp-down. */
async function stimulating(connection: Store): Promise<void> {
  await run(connection.connect('simulated'));
  const device = connection.device!;
  await run(device.setProgram({ ...PROGRAM, amplitudeUa: 10_000, rampUpMs: 1_000, rampDownMs: 10_000, durationMs: 600_000 }));
  await run(device.start(0));
  for (let t = 0; t < 5_000 && board.outputUa(0) < 10_000; t += 100) await clock.advance(100);
  expect(board.outputUa(0)).toBe(10_000);
}

describe('BoardConnectionState: stopping during a disconnect', () => {
  test('ESTOP during a disconnect in progress reaches the board at once (no 10 s ramp), and the user is told', async () => {
    const connection = setup();
    await stimulating(connection);
    const disconnecting = connection.disconnect();
    await clock.advance(200);
    // The ramped STOP is under way and the link is still open.
    expect(board.outputUa(0)).toBeGreaterThan(0);
    await connection.estop();
    expect(board.outputUa(0)).toBe(0);
    expect(board.fault).toBe('estop');
    expect(connection.notice).toMatch(/being ramped down to 0 mA/);
    await run(disconnecting);
    expect(connection.state).toBe('disconnected');
    expect(connection.notice).toMatch(/cut to 0 mA at once \(emergency stop\)/);
    expect(connection.error).toBe(null);
  });

  test('disconnecting while stimulating ramps the output to 0 first, says so, and a reconnect then works', async () => {
    const connection = setup();
    await stimulating(connection);
    await run(connection.disconnect(), 20_000);
    expect(board.outputUa(0)).toBe(0);
    expect(connection.state).toBe('disconnected');
    expect(connection.busy).toBe(false);
    expect(connection.notice).toMatch(/ramped down to 0 mA before the link closed/);
    expect(connection.info).toBe(null);
    await run(connection.connect('simulated'));
    expect(connection.device?.state).toMatch(/ready|faulted/);
    expect(connection.notice).toBe(null);
  });
});
