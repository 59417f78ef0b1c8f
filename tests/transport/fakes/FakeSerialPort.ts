/**
 * A fake W3C SerialPort that behaves as the Web Serial spec and Chrome do, for transport tests:
 * - open() twice → InvalidStateError; readable/writable are null until open and after close;
 * - a recoverable read error (BreakError, FramingError, ParityError, BufferOverrunError) errors the
 *   current readable and the next `port.readable` access returns a fresh stream (WPT
 *   serial/serialPort_readable_parityError);
 * - unplug() fires 'disconnect' and errors both streams with a NetworkError; readable stays null;
 * - close() rejects while a stream is locked, as Chrome does ("Cannot cancel a locked stream").
 */
export class FakeSerialPort extends EventTarget {
  onconnect: ((ev: Event) => void) | null = null;
  ondisconnect: ((ev: Event) => void) | null = null;
  readonly written: Uint8Array[] = [];
  readonly openCalls: SerialOptions[] = [];
  closeCalls = 0;
  #info: SerialPortInfo & { serialNumber?: string };
  #open = false;
  #connected = true;
  #readFatal = false;
  #readable: ReadableStream<Uint8Array> | null = null;
  #readController: ReadableStreamDefaultController<Uint8Array> | null = null;
  #writable: WritableStream<Uint8Array> | null = null;
  #writeController: WritableStreamDefaultController | null = null;
  /** When set, writes wait for this promise (to hold frames in flight). */
  writeGate: Promise<void> | null = null;

  constructor(info: SerialPortInfo & { serialNumber?: string } = { usbVendorId: 0x1209, usbProductId: 0x5354 }) {
    super();
    this.#info = info;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  get readable(): ReadableStream<Uint8Array> | null {
    if (!this.#open || this.#readFatal) return null;
    if (!this.#readable) {
      this.#readable = new ReadableStream<Uint8Array>({
        start: (c) => {
          this.#readController = c;
        },
        cancel: () => {
          this.#readable = null;
          this.#readController = null;
        },
      });
    }
    return this.#readable;
  }

  get writable(): WritableStream<Uint8Array> | null {
    if (!this.#open) return null;
    if (!this.#writable) {
      this.#writable = new WritableStream<Uint8Array>({
        start: (c) => {
          this.#writeController = c;
        },
        write: async (chunk) => {
          if (this.writeGate) await this.writeGate;
          this.written.push(chunk.slice());
        },
      });
    }
    return this.#writable;
  }

  getInfo(): SerialPortInfo {
    return { ...this.#info };
  }

  async open(options: SerialOptions): Promise<void> {
    this.openCalls.push(options);
    if (this.#open) throw new DOMException('The port is already open.', 'InvalidStateError');
    if (!this.#connected) throw new DOMException('The device has been lost.', 'NetworkError');
    this.#open = true;
    this.#readFatal = false;
  }

  async close(): Promise<void> {
    this.closeCalls++;
    if (!this.#open) throw new DOMException('The port is already closed.', 'InvalidStateError');
    if (this.#readable?.locked || this.#writable?.locked) throw new TypeError("Failed to execute 'close' on 'SerialPort': Cannot cancel a locked stream");
    await this.#readable?.cancel();
    await this.#writable?.close().catch(() => {});
    this.#readable = null;
    this.#writable = null;
    this.#readController = null;
    this.#writeController = null;
    this.#open = false;
  }

  // ---- device side ----
  /** Bytes from the device. */
  emit(bytes: Uint8Array | number[]): void {
    this.#readController?.enqueue(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
  }

  /** A recoverable line error: the current readable errors; the next access gives a fresh one. */
  lineError(name: 'BreakError' | 'FramingError' | 'ParityError' | 'BufferOverrunError'): void {
    const c = this.#readController;
    this.#readable = null;
    this.#readController = null;
    c?.error(new DOMException(`simulated ${name}`, name));
  }

  /** A fatal operating-system read error (UnknownError): readable becomes null for good. */
  fatalReadError(): void {
    const c = this.#readController;
    this.#readFatal = true;
    this.#readable = null;
    this.#readController = null;
    c?.error(new DOMException('simulated OS error', 'UnknownError'));
  }

  /** The device side ends the byte stream without an error (no spec case: a misbehaving driver). */
  endStream(): void {
    this.#readController?.close();
  }

  unplug(): void {
    this.#connected = false;
    const lost = new DOMException('The device has been lost.', 'NetworkError');
    this.#readController?.error(lost);
    this.#writeController?.error(lost);
    this.#readFatal = true;
    this.#readable = null;
    this.#readController = null;
    const ev = new Event('disconnect');
    this.dispatchEvent(ev);
    this.ondisconnect?.(ev);
  }

  replug(): void {
    this.#connected = true;
    this.#open = false;
    this.#writable = null;
    this.#writeController = null;
    const ev = new Event('connect');
    this.dispatchEvent(ev);
    this.onconnect?.(ev);
  }
}
