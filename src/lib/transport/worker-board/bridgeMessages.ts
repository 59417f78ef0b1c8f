/**
 * Messages between the page and the worker that hosts the simulated board in the browser demo.
 * The board runs in its own worker for the same reason a real board is separate hardware: if the page's
 * main thread hangs, the board's watchdog must still fire on time.
 */
import type { ChannelStatus, FaultCode } from '../../../../firmware-protocol/src/index.ts';
import type { SimulatedFirmware } from './simulatedFirmware.ts';

export type InjectName =
  | 'electrodeOff'
  | 'electrodeOn'
  | 'unplug'
  | 'replug'
  | 'corruption'
  | 'loss'
  | 'latencyMs'
  | 'reset'
  | 'freeze'
  | 'unfreeze';

export interface BoardSnapshot {
  outputUa: number[];
  channels: ChannelStatus[];
  fault: FaultCode | null;
  helloDone: boolean;
  watchdogTrips: number;
}

export type ToWorker =
  | { t: 'open' }
  | { t: 'close' }
  | { t: 'write'; bytes: Uint8Array }
  | { t: 'inject'; name: InjectName; arg?: number }
  | { t: 'snapshot'; id: number }
  /** Report every ESTOP frame's arrival time (performance.timeOrigin + now, ms) — for the ESTOP benchmark. */
  | { t: 'watchEstop'; on: boolean }
  /** Replace the board with one running this simulated firmware (refused while the port is open). */
  | { t: 'flash'; firmware: SimulatedFirmware };

export type FromWorker =
  | { t: 'ready'; usbVendorId: number; usbProductId: number; serialNumber: string }
  | { t: 'opened' }
  | { t: 'openFailed'; message: string }
  | { t: 'closed' }
  | { t: 'data'; bytes: Uint8Array }
  | { t: 'disconnect' }
  | { t: 'connect' }
  | { t: 'snapshot'; id: number; snapshot: BoardSnapshot }
  | { t: 'estopArrived'; atEpochMs: number }
  | { t: 'flashed'; firmware: SimulatedFirmware }
  | { t: 'flashFailed'; message: string };
