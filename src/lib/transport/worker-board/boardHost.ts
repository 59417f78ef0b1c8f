/**
 * The worker's board: one SimulatedBoard behind the page bridge, which can be re-flashed with another
 * simulated firmware while its port is closed (a flash replaces the board, as flashing restarts a real
 * one: latched faults and output state start afresh). Kept apart from the worker entry so it can be
 * tested without a worker.
 *
 * Messages that arrive while a flash is in progress wait and are then handled in order; outside a flash
 * every message is handled synchronously, so an ESTOP write never waits behind anything.
 */
import { SimulatedBoard, type Clock } from '../../../../hardware-mock/src/index.ts';
import { bridgeBoard, type BoardBridge, type Post } from './boardBridge.ts';
import type { ToWorker } from './bridgeMessages.ts';
import { SIMULATED_FIRMWARE, isSimulatedFirmware, type SimulatedFirmware } from './simulatedFirmware.ts';

export const SIMULATED_CHANNEL_COUNT = 2;

export interface BoardHost {
  handle(message: ToWorker): void;
  readonly board: SimulatedBoard;
  readonly firmware: SimulatedFirmware;
}

/** `clock`: the board's clock (the real one in the worker; a virtual one in tests). */
export function hostBoard(post: Post, nowEpochMs: () => number, clock?: Clock): BoardHost {
  const makeBoard = (image: SimulatedFirmware) =>
    new SimulatedBoard({ channelCount: SIMULATED_CHANNEL_COUNT, testOnlyBreakages: { ...SIMULATED_FIRMWARE[image].breakages }, ...(clock ? { clock } : {}) });
  let firmware: SimulatedFirmware = 'shipped';
  let board = makeBoard(firmware);
  let bridge: BoardBridge = bridgeBoard(board, post, nowEpochMs);
  /** Messages held while a flash runs (null when none runs). */
  let held: ToWorker[] | null = null;

  async function flash(next: unknown): Promise<void> {
    if (!isSimulatedFirmware(next)) {
      post({ t: 'flashFailed', message: `unknown simulated firmware "${String(next)}"` });
      return;
    }
    await bridge.idle;
    if (board.port.isOpen) {
      post({ t: 'flashFailed', message: 'the board is connected: disconnect before flashing' });
      return;
    }
    board.destroy();
    firmware = next;
    board = makeBoard(firmware);
    bridge = bridgeBoard(board, post, nowEpochMs);
    post({ t: 'flashed', firmware });
  }

  function handle(message: ToWorker): void {
    if (held) {
      held.push(message);
      return;
    }
    if (message.t !== 'flash') {
      bridge.handle(message);
      return;
    }
    held = [];
    void flash(message.firmware)
      .catch((e: unknown) => post({ t: 'flashFailed', message: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        const waiting = held ?? [];
        held = null;
        for (const m of waiting) handle(m);
      });
  }

  return {
    handle,
    get board() {
      return board;
    },
    get firmware() {
      return firmware;
    },
  };
}
