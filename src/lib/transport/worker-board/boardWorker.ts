/**
 * Worker entry that hosts a SimulatedBoard on the real clock and bridges its Web-Serial-shaped port to
 * the page by postMessage. The page sees it through WorkerSerialPort, i.e. the same SerialPort shape
 * (and so the same transport code) as a real board.
 */
import { SimulatedBoard } from '../../../../hardware-mock/src/index.ts';
import type { FromWorker, ToWorker } from './bridgeMessages.ts';

/** The worker scope, typed minimally (the project compiles against the DOM lib, not the webworker lib). */
const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
};

const board = new SimulatedBoard({ channelCount: 2 });
const port = board.port;
const info = port.getInfo();
let writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
let reading: Promise<void> | null = null;
let watchEstop = false;

const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

board.onFrame((direction, message) => {
  if (watchEstop && direction === 'in' && message.type === 'estop') {
    post({ t: 'estopArrived', atEpochMs: performance.timeOrigin + performance.now() });
  }
});
port.addEventListener('disconnect', () => post({ t: 'disconnect' }));
port.addEventListener('connect', () => post({ t: 'connect' }));

async function pump(readable: ReadableStream<Uint8Array>): Promise<void> {
  const reader = readable.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (value && value.length > 0) {
        const copy = value.slice();
        post({ t: 'data', bytes: copy }, [copy.buffer]);
      }
    }
  } catch {
    // Stream errored (unplug): the 'disconnect' event already told the page.
  } finally {
    reader.releaseLock();
  }
}

async function open(): Promise<void> {
  try {
    await port.open({ baudRate: 115200 });
    if (!port.readable || !port.writable) throw new Error('simulated port opened without streams');
    writer = port.writable.getWriter();
    reading = pump(port.readable);
    post({ t: 'opened' });
  } catch (e) {
    post({ t: 'openFailed', message: e instanceof Error ? e.message : String(e) });
  }
}

async function close(): Promise<void> {
  try {
    if (writer) {
      writer.releaseLock();
      writer = null;
    }
    await port.readable?.cancel().catch(() => {});
    await reading;
    await port.close();
  } catch {
    // Closing an unplugged port may fail; the page only needs to know we are closed.
  }
  post({ t: 'closed' });
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  switch (m.t) {
    case 'open':
      void open();
      break;
    case 'close':
      void close();
      break;
    case 'write':
      // Not awaited: the board handles each frame inside the write, so ESTOP acts at once.
      writer?.write(m.bytes).catch(() => {});
      break;
    case 'inject': {
      const inject = board.inject as unknown as Record<string, (arg?: number) => void>;
      inject[m.name]?.(m.arg);
      break;
    }
    case 'snapshot': {
      const channels = [];
      const outputUa = [];
      for (let c = 0; c < 2; c++) {
        channels.push(board.channelStatus(c));
        outputUa.push(board.outputUa(c));
      }
      post({ t: 'snapshot', id: m.id, snapshot: { outputUa, channels, fault: board.fault, helloDone: board.helloDone, watchdogTrips: board.stats.watchdogTrips } });
      break;
    }
    case 'watchEstop':
      watchEstop = m.on;
      break;
  }
};

post({ t: 'ready', usbVendorId: info.usbVendorId ?? 0, usbProductId: info.usbProductId ?? 0, serialNumber: 'SIM-0001' });
