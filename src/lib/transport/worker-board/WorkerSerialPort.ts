/**
 * A W3C SerialPort-shaped proxy for a simulated board that lives in a worker (see boardWorker.ts).
 * It follows the SerialPort contract the transport relies on: streams exist only while open, open
 * twice is an InvalidStateError, and an unplug errors both streams and fires 'disconnect'.
 */
import type { BoardSnapshot, FromWorker, InjectName, ToWorker } from './bridgeMessages.ts';
import type { SimulatedFirmware } from './simulatedFirmware.ts';

type Listener = (ev: Event) => void;

export class WorkerSerialPort extends EventTarget {
  onconnect: Listener | null = null;
  ondisconnect: Listener | null = null;

  readonly #worker: Worker;
  #info: { usbVendorId: number; usbProductId: number } = { usbVendorId: 0, usbProductId: 0 };
  #serialNumber = '';
  #open = false;
  #connected = true;
  #readable: ReadableStream<Uint8Array> | null = null;
  #writable: WritableStream<Uint8Array> | null = null;
  #readController: ReadableStreamDefaultController<Uint8Array> | null = null;
  #writeController: WritableStreamDefaultController | null = null;
  #pendingOpen: { resolve: () => void; reject: (e: Error) => void } | null = null;
  #pendingClose: (() => void) | null = null;
  #snapshots = new Map<number, (s: BoardSnapshot) => void>();
  #nextSnapshot = 1;
  #estopListeners = new Set<(atEpochMs: number) => void>();
  #pendingFlash: { resolve: () => void; reject: (e: Error) => void } | null = null;
  #firmware: SimulatedFirmware = 'shipped';
  readonly ready: Promise<void>;

  constructor(worker: Worker) {
    super();
    this.#worker = worker;
    let markReady: () => void = () => {};
    this.ready = new Promise((r) => (markReady = r));
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
      const m = event.data;
      switch (m.t) {
        case 'ready':
          this.#info = { usbVendorId: m.usbVendorId, usbProductId: m.usbProductId };
          this.#serialNumber = m.serialNumber;
          markReady();
          break;
        case 'opened':
          this.#pendingOpen?.resolve();
          this.#pendingOpen = null;
          break;
        case 'openFailed':
          this.#open = false;
          this.#pendingOpen?.reject(new DOMException(m.message, 'NetworkError'));
          this.#pendingOpen = null;
          break;
        case 'closed':
          this.#pendingClose?.();
          this.#pendingClose = null;
          break;
        case 'data':
          try {
            this.#readController?.enqueue(m.bytes);
          } catch {
            // Reader cancelled: bytes after close are dropped, as on a real port.
          }
          break;
        case 'disconnect':
          this.#unplugged();
          break;
        case 'connect':
          this.#connected = true;
          this.#fire('connect');
          break;
        case 'snapshot':
          this.#snapshots.get(m.id)?.(m.snapshot);
          this.#snapshots.delete(m.id);
          break;
        case 'estopArrived':
          for (const l of this.#estopListeners) l(m.atEpochMs);
          break;
        case 'flashed':
          this.#firmware = m.firmware;
          this.#pendingFlash?.resolve();
          this.#pendingFlash = null;
          break;
        case 'flashFailed':
          this.#pendingFlash?.reject(new Error(`the simulated board was not flashed: ${m.message}`));
          this.#pendingFlash = null;
          break;
      }
    });
  }

  get connected(): boolean {
    return this.#connected;
  }
  get readable(): ReadableStream<Uint8Array> | null {
    return this.#readable;
  }
  get writable(): WritableStream<Uint8Array> | null {
    return this.#writable;
  }
  get serialNumber(): string {
    return this.#serialNumber;
  }

  getInfo(): SerialPortInfo {
    return { ...this.#info };
  }

  async open(_options: SerialOptions): Promise<void> {
    if (this.#open) throw new DOMException('The port is already open.', 'InvalidStateError');
    if (!this.#connected) throw new DOMException('The device has been lost.', 'NetworkError');
    this.#open = true;
    await new Promise<void>((resolve, reject) => {
      this.#pendingOpen = { resolve, reject };
      this.#post({ t: 'open' });
    });
    this.#readable = new ReadableStream<Uint8Array>({
      start: (c) => {
        this.#readController = c;
      },
      cancel: () => {
        this.#readController = null;
      },
    });
    this.#writable = new WritableStream<Uint8Array>({
      start: (c) => {
        this.#writeController = c;
      },
      write: (chunk) => {
        if (!this.#open) throw new DOMException('The port is closed.', 'InvalidStateError');
        const copy = chunk.slice();
        this.#post({ t: 'write', bytes: copy }, [copy.buffer]);
      },
    });
  }

  async close(): Promise<void> {
    if (!this.#open) throw new DOMException('The port is already closed.', 'InvalidStateError');
    this.#open = false;
    try {
      this.#readController?.close();
    } catch {
      // already cancelled or errored
    }
    this.#readController = null;
    this.#writeController = null;
    this.#readable = null;
    this.#writable = null;
    await new Promise<void>((resolve) => {
      this.#pendingClose = resolve;
      this.#post({ t: 'close' });
    });
  }

  async setSignals(): Promise<void> {}
  async getSignals(): Promise<SerialInputSignals> {
    return { dataCarrierDetect: true, clearToSend: true, ringIndicator: false, dataSetReady: true };
  }
  async forget(): Promise<void> {}

  /** End the board's worker (the board is gone, as if powered off). */
  terminate(): void {
    this.#worker.terminate();
  }

  // ---- simulated-board controls (fault injection for demos, tests and benchmarks) ----
  inject(name: InjectName, arg?: number): void {
    this.#post(arg === undefined ? { t: 'inject', name } : { t: 'inject', name, arg });
  }
  snapshot(): Promise<BoardSnapshot> {
    const id = this.#nextSnapshot++;
    return new Promise((resolve) => {
      this.#snapshots.set(id, resolve);
      this.#post({ t: 'snapshot', id });
    });
  }
  /** The simulated firmware the board runs now. */
  get firmware(): SimulatedFirmware {
    return this.#firmware;
  }
  /**
   * Flash the simulated board with another simulated firmware (a fresh board: faults and output start
   * afresh). Only while the port is closed, as a real board is flashed with no host talking to it.
   */
  async flash(firmware: SimulatedFirmware): Promise<void> {
    if (this.#open) throw new DOMException('Close the port before flashing the board.', 'InvalidStateError');
    if (this.#pendingFlash) throw new DOMException('A flash is already running.', 'InvalidStateError');
    await new Promise<void>((resolve, reject) => {
      this.#pendingFlash = { resolve, reject };
      this.#post({ t: 'flash', firmware });
    });
  }
  onEstopArrived(listener: (atEpochMs: number) => void): () => void {
    this.#estopListeners.add(listener);
    if (this.#estopListeners.size === 1) this.#post({ t: 'watchEstop', on: true });
    return () => {
      this.#estopListeners.delete(listener);
      if (this.#estopListeners.size === 0) this.#post({ t: 'watchEstop', on: false });
    };
  }

  #unplugged(): void {
    this.#connected = false;
    const lost = new DOMException('The device has been lost.', 'NetworkError');
    try {
      this.#readController?.error(lost);
    } catch {
      // already closed
    }
    try {
      this.#writeController?.error(lost);
    } catch {
      // already closed
    }
    this.#readController = null;
    this.#writeController = null;
    this.#open = false;
    this.#readable = null;
    this.#writable = null;
    this.#fire('disconnect');
  }

  #fire(type: 'connect' | 'disconnect'): void {
    const ev = new Event(type);
    this.dispatchEvent(ev);
    (type === 'connect' ? this.onconnect : this.ondisconnect)?.call(this, ev);
  }

  #post(m: ToWorker, transfer: Transferable[] = []): void {
    this.#worker.postMessage(m, transfer);
  }
}

/** Start the simulated board's worker and return its port once the board is up. */
export async function startWorkerBoard(): Promise<WorkerSerialPort> {
  const worker = new Worker(new URL('./boardWorker.ts', import.meta.url), { type: 'module', name: 'simulated-board' });
  const port = new WorkerSerialPort(worker);
  await port.ready;
  return port;
}
