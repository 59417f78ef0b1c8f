/**
 * A W3C Web Serial `SerialPort` (https://wicg.github.io/serial/#dom-serialport) in front of the simulated
 * board. It enforces the contract the way Chrome's port does, so code that works against it works against
 * a real one (node-serialport's mock binding taught the same lesson — SAFETY.md § 3.1, "A simulator as
 * strict as the hardware"):
 *
 * - `readable` / `writable` are null until open() resolves and after close(); getSignals()/setSignals()
 *   and close() on a port that is not open reject with InvalidStateError; open() on an open port rejects
 *   with InvalidStateError; open() without a positive integer baudRate rejects with TypeError;
 * - one reader and one writer at a time (the streams' own locks: a second getReader() throws TypeError);
 * - close() rejects with TypeError while either stream is locked (Chrome: "Cannot cancel a locked
 *   stream"), and otherwise cancels the readable and aborts the writable: old stream objects then end
 *   (read → done) or refuse writes (InvalidStateError);
 * - unplug(): both streams error with a NetworkError DOMException, `connected` turns false and a
 *   'disconnect' event fires; open() fails with NetworkError until replug() fires 'connect'.
 *
 * The writable's sink hands every chunk synchronously to the board (`onHostBytes`), so frames are
 * handled inside write(). Board bytes arrive through `deliver()`. Deviation from Chrome: the readable is
 * a default (not a byte) stream, so BYOB readers are not offered; StimBench reads with default readers.
 */

/** Bytes queued for the host beyond this are dropped and counted, like a UART FIFO overrun (1 MiB). */
export const RX_BACKLOG_BYTES = 1 << 20;

type PortState = 'closed' | 'opened';

export interface SimulatedPortInfo {
  usbVendorId: number;
  usbProductId: number;
}

function domError(name: string, message: string): DOMException {
  return new DOMException(message, name);
}

export class SimulatedSerialPort extends EventTarget implements SerialPort {
  onconnect: ((this: SerialPort, ev: Event) => void) | null = null;
  ondisconnect: ((this: SerialPort, ev: Event) => void) | null = null;
  /** Not in the Web Serial spec: the USB serial number, for port identity in simulators (SerialPortLike). */
  readonly serialNumber: string;
  /** Bytes dropped because the host did not read (see RX_BACKLOG_BYTES). */
  rxOverrunBytes = 0;

  readonly #info: SimulatedPortInfo;
  readonly #onHostBytes: (bytes: Uint8Array) => void;
  #state: PortState = 'closed';
  #plugged = true;
  /** The device went away while open: the streams stay gone until close() (and a new open()). */
  #lost = false;
  #forgotten = false;
  #readable: ReadableStream<Uint8Array> | null = null;
  #readController: ReadableStreamDefaultController<Uint8Array> | null = null;
  #writable: WritableStream<Uint8Array> | null = null;
  #writeController: WritableStreamDefaultController | null = null;

  constructor(info: SimulatedPortInfo, serialNumber: string, onHostBytes: (bytes: Uint8Array) => void) {
    super();
    this.#info = { ...info };
    this.serialNumber = serialNumber;
    this.#onHostBytes = onHostBytes;
  }

  get connected(): boolean {
    return this.#plugged;
  }

  /** True between a successful open() and close() (not part of the spec; for tests and the board). */
  get isOpen(): boolean {
    return this.#state === 'opened';
  }

  get readable(): ReadableStream<Uint8Array> | null {
    if (this.#state !== 'opened' || this.#lost) return null;
    // After a cancel the spec hands out a fresh stream on the next access.
    if (!this.#readable) this.#readable = this.#makeReadable();
    return this.#readable;
  }

  get writable(): WritableStream<Uint8Array> | null {
    if (this.#state !== 'opened' || this.#lost) return null;
    if (!this.#writable) this.#writable = this.#makeWritable();
    return this.#writable;
  }

  getInfo(): SerialPortInfo {
    return { usbVendorId: this.#info.usbVendorId, usbProductId: this.#info.usbProductId };
  }

  async open(options: SerialOptions): Promise<void> {
    if (this.#forgotten) throw domError('InvalidStateError', 'The port has been forgotten.');
    if (this.#state !== 'closed') throw domError('InvalidStateError', 'The port is already open.');
    const baud = (options as Partial<SerialOptions> | undefined)?.baudRate;
    if (typeof baud !== 'number' || !Number.isInteger(baud) || baud <= 0) {
      throw new TypeError(`Failed to execute 'open' on 'SerialPort': baudRate must be a positive integer (got ${String(baud)}).`);
    }
    if (options.dataBits !== undefined && options.dataBits !== 7 && options.dataBits !== 8) throw new TypeError(`dataBits must be 7 or 8 (got ${String(options.dataBits)}).`);
    if (options.stopBits !== undefined && options.stopBits !== 1 && options.stopBits !== 2) throw new TypeError(`stopBits must be 1 or 2 (got ${String(options.stopBits)}).`);
    if (!this.#plugged) throw domError('NetworkError', 'Failed to open serial port.');
    this.#state = 'opened';
    // Made now, not on first access, so the board's bytes queue from the moment the port is open.
    this.#readable = this.#makeReadable();
    this.#writable = this.#makeWritable();
  }

  async close(): Promise<void> {
    if (this.#state !== 'opened') throw domError('InvalidStateError', 'The port is already closed.');
    if (this.#readable?.locked) throw new TypeError("Failed to execute 'close' on 'SerialPort': Cannot cancel a locked stream");
    if (this.#writable?.locked) throw new TypeError("Failed to execute 'close' on 'SerialPort': Cannot abort a locked stream");
    const readable = this.#readable;
    const writable = this.#writable;
    this.#state = 'closed';
    this.#lost = false;
    this.#readable = null;
    this.#writable = null;
    this.#readController = null;
    this.#writeController = null;
    // As Chrome: cancel the readable, abort the writable (close() does not wait for a flush; the sink is
    // synchronous anyway). A writer kept from before then rejects every write with this error.
    await Promise.all([readable?.cancel().catch(() => {}), writable?.abort(domError('InvalidStateError', 'The port is closed.')).catch(() => {})]);
  }

  async getSignals(): Promise<SerialInputSignals> {
    if (this.#state !== 'opened') throw domError('InvalidStateError', 'The port is closed.');
    if (this.#lost) throw domError('NetworkError', 'The device has been lost.');
    return { dataCarrierDetect: true, clearToSend: true, ringIndicator: false, dataSetReady: true };
  }

  async setSignals(_signals: SerialOutputSignals): Promise<void> {
    if (this.#state !== 'opened') throw domError('InvalidStateError', 'The port is closed.');
    if (this.#lost) throw domError('NetworkError', 'The device has been lost.');
  }

  async forget(): Promise<void> {
    if (this.#state === 'opened') this.#teardown(domError('InvalidStateError', 'The port has been forgotten.'));
    this.#state = 'closed';
    this.#forgotten = true;
  }

  // ---- board side ----

  /** Bytes from the board to the host; dropped when the port is not open (nobody listens). */
  deliver(bytes: Uint8Array): void {
    const c = this.#readController;
    if (!c || this.#state !== 'opened') return;
    if ((c.desiredSize ?? 0) < bytes.length) {
      this.rxOverrunBytes += bytes.length;
      return;
    }
    c.enqueue(bytes);
  }

  /** Cable pulled: streams error with NetworkError, then 'disconnect'. The port stays "open" until close(). */
  unplug(): void {
    if (!this.#plugged) return;
    this.#plugged = false;
    if (this.#state === 'opened') {
      this.#lost = true;
      this.#teardown(domError('NetworkError', 'The device has been lost.'));
    }
    this.#fire('disconnect');
  }

  /** Cable back in: 'connect'. A port that was open when unplugged stays dead until close() and open(). */
  replug(): void {
    if (this.#plugged) return;
    this.#plugged = true;
    this.#fire('connect');
  }

  /** Board destroyed: end both streams without firing events. */
  dispose(): void {
    if (this.#state === 'opened') this.#teardown(domError('NetworkError', 'The device has been lost.'));
    this.#state = 'closed';
  }

  #teardown(error: DOMException): void {
    try {
      this.#readController?.error(error);
    } catch {
      // already closed
    }
    try {
      this.#writeController?.error(error);
    } catch {
      // already errored
    }
    this.#readable = null;
    this.#writable = null;
    this.#readController = null;
    this.#writeController = null;
  }

  #fire(type: 'connect' | 'disconnect'): void {
    const event = new Event(type);
    const handler = type === 'connect' ? this.onconnect : this.ondisconnect;
    this.dispatchEvent(event);
    handler?.call(this, event);
  }

  #makeReadable(): ReadableStream<Uint8Array> {
    let stream: ReadableStream<Uint8Array> | null = null;
    stream = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.#readController = c;
        },
        cancel: () => {
          // The host cancelled its reader: this stream is finished; the next `readable` access makes a new one.
          if (this.#readable === stream) {
            this.#readable = null;
            this.#readController = null;
          }
        },
      },
      { highWaterMark: RX_BACKLOG_BYTES, size: (chunk) => chunk.byteLength },
    );
    return stream;
  }

  #makeWritable(): WritableStream<Uint8Array> {
    let stream: WritableStream<Uint8Array> | null = null;
    const forget = () => {
      if (this.#writable === stream) {
        this.#writable = null;
        this.#writeController = null;
      }
    };
    stream = new WritableStream<Uint8Array>({
      start: (c) => {
        this.#writeController = c;
      },
      write: (chunk) => {
        // Synchronous on purpose: the board handles the frame (an ESTOP zeroes output) before write() resolves.
        this.#onHostBytes(toBytes(chunk));
      },
      close: forget,
      abort: forget,
    });
    return stream;
  }
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`Failed to write to the SerialPort: expected an ArrayBuffer or ArrayBufferView, got ${chunk === null ? 'null' : typeof chunk}.`);
}
