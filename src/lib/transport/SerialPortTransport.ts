/**
 * A Transport over anything with the W3C SerialPort shape: a Chrome Web Serial port, the WebUSB
 * polyfill's port, the simulated board's `board.port`. Real and simulated boards take this one path.
 *
 * It hands out its own readable and writable (stable from open() to close()) and holds the port's
 * reader and writer itself, because:
 * - after a recoverable read error Web Serial replaces `port.readable` with a fresh stream
 *   (https://wicg.github.io/serial/#readable-attribute); the consumer must not see that, only an
 *   onLineError call, and keeps reading the same stream;
 * - Chrome's `port.close()` rejects while the port's streams are locked, so close() must release the
 *   port-side locks itself even while the client above still holds its own reader and writer.
 * A 'disconnect' event, a NetworkError/UnknownError, or a port stream that ends on its own means the
 * device is gone: both streams error with TransportError('DEVICE_LOST'), onDisconnect listeners run
 * once, and the transport is closed.
 */
import { describeError } from '../thrown.ts';
import { lineErrorKind } from './readErrors.ts';
import { identityOfPort } from './portIdentity.ts';
import { DEFAULT_SERIAL_OPTIONS, type SerialPortLike } from './SerialPortLike.ts';
import { TransportError, type LineErrorKind, type PortIdentity, type Transport, type TransportKind } from './Transport.ts';

export interface SerialPortTransportOptions {
  kind: TransportKind;
  /** Human-readable label; defaults to one built from the USB ids and serial number. */
  label?: string;
  /** Line settings for port.open(); default 115200 8N1. */
  serialOptions?: SerialOptions;
}

/** Everything that belongs to one open() … close() span. */
interface OpenSession {
  ended: boolean;
  /** The consumer cancelled our readable: the port stream ending now is not a lost device. */
  readCancelled: boolean;
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  readController: ReadableStreamDefaultController<Uint8Array> | null;
  writeController: WritableStreamDefaultController | null;
  portReader: ReadableStreamDefaultReader<Uint8Array> | null;
  portWriter: WritableStreamDefaultWriter<Uint8Array>;
  onPortDisconnect: () => void;
}

export class SerialPortTransport implements Transport {
  readonly kind: TransportKind;
  readonly identity: PortIdentity;
  readonly port: SerialPortLike;
  readonly #serialOptions: SerialOptions;
  #session: OpenSession | null = null;
  #opening = false;
  readonly #disconnectListeners = new Set<() => void>();
  readonly #lineErrorListeners = new Set<(kind: LineErrorKind) => void>();

  constructor(port: SerialPortLike, options: SerialPortTransportOptions) {
    this.port = port;
    this.kind = options.kind;
    this.#serialOptions = options.serialOptions ?? DEFAULT_SERIAL_OPTIONS;
    this.identity = identityOfPort(options.kind, port, options.label);
  }

  get isOpen(): boolean {
    return this.#session !== null;
  }

  get readable(): ReadableStream<Uint8Array> {
    return this.#open('readable').readable;
  }

  get writable(): WritableStream<Uint8Array> {
    return this.#open('writable').writable;
  }

  async open(): Promise<void> {
    if (this.#session || this.#opening) throw new TransportError('ALREADY_OPEN', `${this.identity.label}: open() called on an open transport (expected closed, got open)`);
    this.#opening = true;
    try {
      try {
        await this.port.open(this.#serialOptions);
      } catch (error) {
        throw new TransportError('OPEN_FAILED', `${this.identity.label}: could not open the port (${describeError(error)})`);
      }
      const portWritable = this.port.writable;
      if (!this.port.readable || !portWritable) {
        await this.port.close().catch(() => {});
        throw new TransportError('OPEN_FAILED', `${this.identity.label}: the port opened without readable/writable streams`);
      }
      this.#session = this.#startSession(portWritable.getWriter());
    } finally {
      this.#opening = false;
    }
  }

  async close(): Promise<void> {
    const s = this.#session;
    if (!s) return;
    this.#end(s);
    try {
      s.readController?.close();
    } catch {
      // already closed or errored
    }
    try {
      s.writeController?.error(new TransportError('NOT_OPEN', `${this.identity.label}: transport closed`));
    } catch {
      // already errored
    }
    await this.#releasePort(s);
  }

  onDisconnect(listener: () => void): () => void {
    this.#disconnectListeners.add(listener);
    return () => this.#disconnectListeners.delete(listener);
  }

  onLineError(listener: (kind: LineErrorKind) => void): () => void {
    this.#lineErrorListeners.add(listener);
    return () => this.#lineErrorListeners.delete(listener);
  }

  #open(what: string): OpenSession {
    if (!this.#session) throw new TransportError('NOT_OPEN', `${this.identity.label}: ${what} used while the transport is closed (expected open)`);
    return this.#session;
  }

  #startSession(portWriter: WritableStreamDefaultWriter<Uint8Array>): OpenSession {
    // readable/writable are filled in just below (their callbacks need `s`).
    const s = { ended: false, readCancelled: false, readController: null, writeController: null, portReader: null, portWriter } as unknown as OpenSession;
    s.onPortDisconnect = () => this.#lose(s, 'the port fired "disconnect"');
    this.port.addEventListener?.('disconnect', s.onPortDisconnect);
    s.readable = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          s.readController = c;
        },
        pull: (c) => this.#pull(s, c),
        cancel: async () => {
          s.readCancelled = true;
          const reader = s.portReader;
          s.portReader = null;
          await reader?.cancel().catch(() => {});
          try {
            reader?.releaseLock();
          } catch {
            // already released
          }
        },
      },
      { highWaterMark: 0 },
    );
    s.writable = new WritableStream<Uint8Array>({
      start: (c) => {
        s.writeController = c;
      },
      // Plain promise chains rather than async functions: one fewer microtask hop per chunk on the hot path.
      write: (chunk) => {
        if (s.ended) return Promise.reject(new TransportError('NOT_OPEN', `${this.identity.label}: write after close`));
        return s.portWriter.write(chunk).then(undefined, (error: unknown) => {
          // Web Serial write errors are NetworkError (device lost) or UnknownError: none is recoverable.
          if (!s.ended) this.#lose(s, `write failed (${describeError(error)})`);
          throw new TransportError('DEVICE_LOST', `${this.identity.label}: write failed, device lost (${describeError(error)})`);
        });
      },
    });
    return s;
  }

  /** Deliver the next chunk from the port, riding over recoverable line errors. */
  #pull(s: OpenSession, controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> | void {
    if (s.ended) return;
    let reader = s.portReader;
    if (!reader) {
      const portReadable = this.port.readable;
      if (!portReadable) return this.#lose(s, 'port.readable is null after a read error');
      try {
        reader = s.portReader = portReadable.getReader();
      } catch (error) {
        return this.#lose(s, `cannot lock port.readable (${describeError(error)})`);
      }
    }
    const current = reader;
    return current.read().then(
      (result) => {
        if (s.ended || s.readCancelled) return;
        if (result.done) return this.#lose(s, 'the port stream ended without close()');
        if (result.value.length > 0) controller.enqueue(result.value);
        else return this.#pull(s, controller);
      },
      (error: unknown) => {
        if (s.portReader === current) s.portReader = null;
        try {
          current.releaseLock();
        } catch {
          // already released
        }
        if (s.ended || s.readCancelled) return;
        const kind = lineErrorKind(error);
        if (kind === null) return this.#lose(s, `read failed (${describeError(error)})`);
        for (const l of this.#lineErrorListeners) {
          try {
            l(kind);
          } catch {
            // a faulty listener must not stop the byte stream
          }
        }
        return this.#pull(s, controller); // Web Serial has a fresh port.readable now: keep reading from it.
      },
    );
  }

  #end(s: OpenSession): void {
    s.ended = true;
    if (this.#session === s) this.#session = null;
    this.port.removeEventListener?.('disconnect', s.onPortDisconnect);
  }

  /** The device is gone: fatal. Error both streams, tell the listeners once, leave the transport closed. */
  #lose(s: OpenSession, why: string): void {
    if (s.ended) return;
    this.#end(s);
    const error = new TransportError('DEVICE_LOST', `${this.identity.label}: device lost (${why})`);
    try {
      s.readController?.error(error);
    } catch {
      // already closed
    }
    try {
      s.writeController?.error(error);
    } catch {
      // already errored
    }
    for (const l of this.#disconnectListeners) {
      try {
        l();
      } catch {
        // one faulty listener must not hide the loss from the others
      }
    }
    void this.#releasePort(s);
  }

  async #releasePort(s: OpenSession): Promise<void> {
    const reader = s.portReader;
    s.portReader = null;
    if (reader) {
      await reader.cancel().catch(() => {});
      try {
        reader.releaseLock();
      } catch {
        // already released
      }
    }
    try {
      s.portWriter.releaseLock();
    } catch {
      // already released
    }
    // Closing an unplugged port may reject; close() never throws.
    await this.port.close().catch(() => {});
  }
}
