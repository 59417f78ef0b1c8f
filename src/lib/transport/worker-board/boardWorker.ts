/**
 * Worker entry that hosts a SimulatedBoard on the real clock and bridges its Web-Serial-shaped port to
 * the page by postMessage (boardBridge.ts). The page sees it through WorkerSerialPort, i.e. the same
 * SerialPort shape (and so the same transport code) as a real board.
 */
import { hostBoard } from './boardHost.ts';
import type { FromWorker, ToWorker } from './bridgeMessages.ts';

/** The worker scope, typed minimally (the project compiles against the DOM lib, not the webworker lib). */
const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
};

const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
const host = hostBoard(post, () => performance.timeOrigin + performance.now());
const info = host.board.port.getInfo();

scope.onmessage = (event: MessageEvent<ToWorker>) => host.handle(event.data);

post({ t: 'ready', usbVendorId: info.usbVendorId ?? 0, usbProductId: info.usbProductId ?? 0, serialNumber: 'SIM-0001' });
