/**
 * The simulated board's transport: the same SerialPortTransport as a real Web Serial port, over the
 * board's W3C-SerialPort-shaped `board.port`, so the simulator exercises the app's real byte path.
 * The board is passed in (hardware-mock stays out of this module's imports; transportFactory loads it).
 */
import { SerialPortTransport } from './SerialPortTransport.ts';
import type { SerialPortLike } from './SerialPortLike.ts';

/** Anything that carries a simulated board's port: hardware-mock's SimulatedBoard, or the worker board's proxy. */
export interface SimulatedBoardLike {
  readonly port: SerialPortLike;
  readonly serialNumber?: string | undefined;
}

export class SimulatedTransport<B extends SimulatedBoardLike = SimulatedBoardLike> extends SerialPortTransport {
  readonly board: B;
  constructor(board: B, options: { label?: string } = {}) {
    super(board.port, { kind: 'simulated', label: options.label ?? simulatedLabel(board) });
    this.board = board;
  }
}

/** `createSimulatedTransport(board)`: kind 'simulated', label "Simulated board (SIM-0001)". */
export function createSimulatedTransport<B extends SimulatedBoardLike>(board: B, options: { label?: string } = {}): SimulatedTransport<B> {
  return new SimulatedTransport(board, options);
}

function simulatedLabel(board: SimulatedBoardLike): string {
  const info = board.port.getInfo();
  const serial = board.serialNumber || info.serialNumber || board.port.serialNumber || '';
  return serial ? `Simulated board (${serial})` : 'Simulated board';
}
