/**
 * The transport contract: a byte pipe to one board. Framing never lives here (it is the client's job,
 * through firmware-protocol), so every transport — Web Serial, WebUSB CDC-ACM, the simulated board —
 * can be swapped without touching the code above it.
 *
 * Rules every implementation follows (tests in tests/transport/ check them):
 * - `open()` must succeed before `readable`/`writable` are used; using them before open or after
 *   close throws TransportError('NOT_OPEN').
 * - `open()` on an open transport throws TransportError('ALREADY_OPEN'); `close()` on a closed one is a
 *   no-op. `close()` cancels the reader and releases the writer: a pending read resolves done.
 * - One reader and one writer at a time (the streams lock), as with a real SerialPort.
 * - Losing the device (unplug, re-enumeration) calls every `onDisconnect` listener once, errors both
 *   streams with TransportError('DEVICE_LOST'), and leaves the transport closed. It is fatal.
 * - Recoverable line errors (framing, parity, break, buffer overrun) are reported through
 *   `onLineError` and do NOT close the transport; the bytes around them may be garbage, which the
 *   frame decoder drops and counts.
 */
export type TransportKind = 'web-serial' | 'webusb' | 'simulated' | 'node-serial';

/** Who the board is, stable across re-plugging, so the app can reconnect to the same one. */
export interface PortIdentity {
  kind: TransportKind;
  usbVendorId?: number;
  usbProductId?: number;
  /** USB serial number where the platform exposes it (WebUSB does; Web Serial does in Chrome ≥ 134 via getInfo). */
  serialNumber?: string;
  /** Human-readable label, e.g. "Simulated board" or "USB 1209:7354". */
  label: string;
}

export type LineErrorKind = 'framing' | 'parity' | 'break' | 'overrun' | 'buffer-overrun' | 'unknown';

export type TransportErrorCode = 'NOT_OPEN' | 'ALREADY_OPEN' | 'DEVICE_LOST' | 'OPEN_FAILED' | 'UNSUPPORTED' | 'NO_PORT_SELECTED';

export class TransportError extends Error {
  override name = 'TransportError';
  readonly code: TransportErrorCode;
  /** Fatal errors mean the device is gone; recoverable ones do not. */
  readonly fatal: boolean;
  constructor(code: TransportErrorCode, message: string, fatal: boolean = code === 'DEVICE_LOST') {
    super(message);
    this.code = code;
    this.fatal = fatal;
  }
}

export interface Transport {
  readonly kind: TransportKind;
  readonly identity: PortIdentity;
  readonly isOpen: boolean;
  /** Open the link. Default line settings for StimBench boards: 115200 8N1 (ignored by USB CDC and the simulator). */
  open(): Promise<void>;
  /** Close the link and release the streams. Never throws. */
  close(): Promise<void>;
  /** Bytes from the board. Valid between open() and close(). */
  readonly readable: ReadableStream<Uint8Array>;
  /** Bytes to the board. Valid between open() and close(). */
  readonly writable: WritableStream<Uint8Array>;
  /** Called once when the device is lost. Returns an unsubscribe function. */
  onDisconnect(listener: () => void): () => void;
  /** Called on each recoverable line error. Returns an unsubscribe function. */
  onLineError(listener: (kind: LineErrorKind) => void): () => void;
}
