/**
 * The simulated board's side of the page ⇄ worker bridge: opens and closes the board's Web-Serial-shaped
 * port on request, pumps its bytes to the page and writes the page's bytes to it. Kept apart from the
 * worker entry (boardWorker.ts) so the open/close cycle can be tested without a worker.
 *
 * Close must always answer `closed`, however the port is left (reading, unplugged, never opened): the
 * page's disconnect waits for it, as it waits for a real port's close.
 */
import type { SimulatedBoard } from '../../../../hardware-mock/src/index.ts';
import type { FromWorker, ToWorker } from './bridgeMessages.ts';

export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

export interface BoardBridge {
  handle(message: ToWorker): void;
  /** Resolves when every open/close asked for so far has been answered. */
  readonly idle: Promise<void>;
}

export function bridgeBoard(board: SimulatedBoard, post: Post, nowEpochMs: () => number): BoardBridge {
  const port = board.port;
  const channelCount = board.channelCount;
  let writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let reading: Promise<void> | null = null;
  let watchEstop = false;
  // Opens and closes run one after another, in the order the page sent them.
  let queue: Promise<void> = Promise.resolve();

  board.onFrame((direction, message) => {
    if (watchEstop && direction === 'in' && message.type === 'estop') post({ t: 'estopArrived', atEpochMs: nowEpochMs() });
  });
  port.addEventListener('disconnect', () => post({ t: 'disconnect' }));
  port.addEventListener('connect', () => post({ t: 'connect' }));

  async function pump(r: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await r.read();
        if (done) break;
        if (value && value.length > 0) {
          const copy = value.slice();
          post({ t: 'data', bytes: copy }, [copy.buffer]);
        }
      }
    } catch {
      // Stream errored (unplug): the 'disconnect' event already told the page.
    } finally {
      r.releaseLock();
    }
  }

  async function open(): Promise<void> {
    try {
      await port.open({ baudRate: 115200 });
      if (!port.readable || !port.writable) throw new Error('simulated port opened without streams');
      writer = port.writable.getWriter();
      reader = port.readable.getReader();
      reading = pump(reader);
      post({ t: 'opened' });
    } catch (e) {
      post({ t: 'openFailed', message: e instanceof Error ? e.message : String(e) });
    }
  }

  async function close(): Promise<void> {
    try {
      writer?.releaseLock();
      writer = null;
      // Cancel through our own reader: the stream is locked to it, so cancelling the stream itself would
      // fail and leave the pump (and this close) waiting for ever.
      await reader?.cancel().catch(() => {});
      reader = null;
      await reading;
      reading = null;
      if (port.isOpen) await port.close();
    } catch {
      // Closing an unplugged port may fail; the page only needs to know we are closed.
    }
    post({ t: 'closed' });
  }

  const bridge: BoardBridge = {
    handle(m: ToWorker): void {
      switch (m.t) {
        case 'open':
          queue = queue.then(open);
          break;
        case 'close':
          queue = queue.then(close);
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
          for (let c = 0; c < channelCount; c++) {
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
    },
    get idle() {
      return queue;
    },
  };
  return bridge;
}
