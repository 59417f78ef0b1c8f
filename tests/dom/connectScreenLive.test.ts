/**
 * The Connect screen as the connection changes under it: the simulated board's fault panel appears the
 * moment the board connects (no leaving and coming back), "Connect simulated board" stops being the
 * primary action once connected (a secondary "Reconnect"), and after an unplug the link-health card says the link is lost.
 */
import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { StimulatorClient } from '../../src/lib/device/StimulatorClient.ts';
import { createSimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';

const bench = vi.hoisted(() => ({ clock: null as unknown, board: null as unknown }));

vi.mock('../../src/ui/state/openDevice.ts', () => ({
  async openDevice() {
    const clock = bench.clock as VirtualClock;
    const board = bench.board as SimulatedBoard;
    const transport = createSimulatedTransport(board);
    const device = new StimulatorClient(transport, { clock });
    // The fault panel only calls inject(); the in-page board stands in for the worker's port.
    const simulatedPort = { inject: (kind: 'unplug') => board.inject[kind]() };
    return { device, transport, simulatedPort, close: () => device.disconnect() };
  },
}));

const { BoardConnectionState } = await import('../../src/ui/state/connection.svelte.ts');
const { default: ConnectScreen } = await import('../../src/ui/screens/ConnectScreen.svelte');

let board: SimulatedBoard;
let clock: VirtualClock;
afterEach(() => board?.destroy());

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

describe('Connect screen while connecting and after an unplug', () => {
  test('fault panel at once, Connect no longer primary, link shown lost after an unplug', async () => {
    clock = new VirtualClock();
    board = new SimulatedBoard({ clock });
    bench.clock = clock;
    bench.board = board;
    const connection = new BoardConnectionState(null);
    render(ConnectScreen, { props: { connection } });
    const connect = screen.getByTestId('connect-simulated') as HTMLButtonElement;
    expect(connect.classList.contains('primary')).toBe(true);
    expect(screen.queryByTestId('sim-unplug')).toBeNull();

    await run(connection.connect('simulated'));
    expect(connection.state).toBe('ready');
    // Same screen, not re-mounted: the panel is there.
    expect(await screen.findByTestId('sim-unplug')).toBeTruthy();
    expect(connect.classList.contains('primary')).toBe(false);
    expect(connect.textContent).toMatch(/Reconnect simulated board/);
    expect(screen.queryByTestId('link-lost')).toBeNull();

    screen.getByTestId('sim-unplug').click();
    for (let t = 0; t < 5_000 && connection.state !== 'lost'; t += 50) await clock.advance(50);
    expect(connection.state).toBe('lost');
    expect((await screen.findByTestId('link-lost')).textContent).toMatch(/Link lost.*no reply from the board/s);
  });
});
