/**
 * Worker entry that hosts a SimulatedBoard on the real clock and bridges its Web-Serial-shaped port to
 * the page by postMessage (boardBridge.ts). The page sees it through WorkerSerialPort, i.e. the same
 * SerialPort shape (and so the same transport code) as a real board.
 */
import { SimulatedBoard } from '../../../../hardware-mock/src/index.ts';
import { bridgeBoard } from './boardBridge.ts';
import type { FromWorker, ToWorker } from './bridgeMessages.ts';

/** The worker scope, typed minimally (the project compiles against the DOM lib, not the webworker lib). */
const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
};

const board = new SimulatedBoard({ channelCount: 2 });
const info = board.port.getInfo();
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
const bridge = bridgeBoard(board, post, () => performance.timeOrigin + performance.now());

scope.onmessage = (event: MessageEvent<ToWorker>) => bridge.handle(event.data);

post({ t: 'ready', usbVendorId: info.usbVendorId ?? 0, usbProductId: info.usbProductId ?? 0, serialNumber: 'SIM-0001' });
