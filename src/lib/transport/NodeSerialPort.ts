/**
 * A Node `serialport` (v13) port in the W3C SerialPort shape (SerialPortLike), so SerialPortTransport,
 * which already follows every rule of Transport.ts for Web Serial, serves Node too: a CLI, the tests
 * that drive the C boards over a pseudo-terminal, or a board on /dev/ttyACM0.
 *
 * - `readable` is a byte stream fed by the port's 'data' events, with back-pressure (the port is paused
 *   while the stream's queue is full). It errors with a NetworkError when the port closes on its own
 *   (serialport's DisconnectedError: the device or the other end of the pty went away), and then a
 *   'disconnect' event is dispatched, as Web Serial does on unplug.
 * - `writable` resolves each write once serialport has handed the bytes to the operating system.
 * - Node's serialport reports no framing, parity or break errors, so no line errors come from here.
 */
import { read as fsRead } from 'node:fs';
import { SerialPort } from 'serialport';
import type { PortEventListener, SerialPortInfoLike, SerialPortLike } from './SerialPortLike.ts';

/** Node's ReadableStream queue limit before the port is paused, bytes. */
const READ_QUEUE_BYTES = 64 * 1024;

/** The parts of bindings-cpp's Unix port (LinuxPortBinding / DarwinPortBinding) the hang-up read uses. */
interface UnixPortBinding {
  fd: number | null;
  isOpen: boolean;
  poller: { once(event: 'readable', cb: (error?: Error | null) => void): void };
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }>;
}

/**
 * bindings-cpp retries a read that returns 0 bytes at once, forever: on a pseudo-terminal whose other
 * end has gone (the C host board exited, socat was killed) that is a busy loop and the loss is never
 * seen. On Unix a non-blocking tty read with no data fails EAGAIN; 0 bytes is end of file, i.e. hang-up.
 * This read treats it as such: the error makes serialport close the port with a DisconnectedError.
 */
function readUntilHangup(port: UnixPortBinding) {
  return async (buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }> => {
    for (;;) {
      if (!port.isOpen || port.fd === null) throw Object.assign(new Error('Port is not open'), { canceled: true });
      const fd = port.fd;
      try {
        const bytesRead = await new Promise<number>((resolve, reject) => fsRead(fd, buffer, offset, length, null, (e, n) => (e ? reject(e) : resolve(n))));
        if (bytesRead === 0) throw Object.assign(new Error('the other end hung up (end of file)'), { disconnect: true });
        return { bytesRead, buffer };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw error;
        // Polling a closed port's poller crashes the native binding: check first, as bindings-cpp does.
        if (!port.isOpen) throw Object.assign(new Error('Port is not open'), { canceled: true });
        await new Promise<void>((resolve, reject) => port.poller.once('readable', (e) => (e ? reject(e) : resolve())));
      }
    }
  };
}

/** The platform binding, with the hang-up-aware read on Unix ports (Windows keeps its own read). */
const HANGUP_AWARE_BINDING = {
  list: () => SerialPort.binding.list(),
  async open(options: Parameters<typeof SerialPort.binding.open>[0]) {
    const port = await SerialPort.binding.open(options);
    const unix = port as unknown as Partial<UnixPortBinding>;
    if (typeof unix.fd === 'number' && unix.poller) unix.read = readUntilHangup(unix as UnixPortBinding);
    return port;
  },
};

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export class NodeSerialPort implements SerialPortLike {
  readonly path: string;
  readonly #info: SerialPortInfoLike;
  readonly #events = new EventTarget();
  #port: SerialPort | null = null;
  #readable: ReadableStream<Uint8Array> | null = null;
  #writable: WritableStream<Uint8Array> | null = null;

  /** `info`: USB ids and serial number where known (e.g. from `SerialPort.list()`); a pty has none. */
  constructor(path: string, info: SerialPortInfoLike = {}) {
    this.path = path;
    this.#info = { ...info };
  }

  get readable(): ReadableStream<Uint8Array> | null {
    return this.#readable;
  }

  get writable(): WritableStream<Uint8Array> | null {
    return this.#writable;
  }

  get serialNumber(): string | undefined {
    return this.#info.serialNumber;
  }

  getInfo(): SerialPortInfoLike {
    return { ...this.#info };
  }

  addEventListener(type: 'connect' | 'disconnect', listener: PortEventListener): void {
    this.#events.addEventListener(type, listener);
  }

  removeEventListener(type: 'connect' | 'disconnect', listener: PortEventListener): void {
    this.#events.removeEventListener(type, listener);
  }

  async open(options: SerialOptions): Promise<void> {
    if (this.#port) throw namedError('InvalidStateError', `${this.path} is already open`);
    const port = new SerialPort({
      path: this.path,
      baudRate: options.baudRate,
      dataBits: (options.dataBits ?? 8) as 8,
      stopBits: (options.stopBits ?? 1) as 1,
      parity: options.parity ?? 'none',
      autoOpen: false,
      // SerialPort's options type omits `binding`, but its constructor honours one (it is serialport's
      // documented way to swap bindings); ours adds only the hang-up-aware read.
      ...({ binding: HANGUP_AWARE_BINDING } as object),
    });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(namedError('NetworkError', error.message)) : resolve())));
    this.#port = port;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    this.#readable = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          controller = c;
        },
        pull: () => {
          port.resume();
        },
        cancel: () => {
          port.pause();
        },
      },
      { highWaterMark: READ_QUEUE_BYTES, size: (chunk) => chunk.byteLength },
    );
    port.on('data', (data: Buffer) => {
      try {
        controller.enqueue(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) port.pause();
      } catch {
        // the stream was cancelled or closed: nobody reads these bytes
      }
    });
    port.pause(); // until the first pull
    port.on('error', () => {
      // Reported through 'close' (serialport closes the port on a read or write failure).
    });
    port.once('close', (error: (Error & { disconnected?: boolean }) | null) => {
      this.#port = null;
      this.#readable = null;
      this.#writable = null;
      try {
        if (error?.disconnected) controller.error(namedError('NetworkError', `${this.path}: ${error.message}`));
        else controller.close();
      } catch {
        // already closed or errored
      }
      if (error?.disconnected) this.#events.dispatchEvent(new Event('disconnect'));
    });
    this.#writable = new WritableStream<Uint8Array>({
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          if (!port.isOpen) {
            reject(namedError('NetworkError', `${this.path} is closed`));
            return;
          }
          port.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), (error) => (error ? reject(namedError('NetworkError', error.message)) : resolve()));
        }),
    });
  }

  async close(): Promise<void> {
    const port = this.#port;
    if (!port) return;
    if (this.#readable?.locked || this.#writable?.locked) throw namedError('InvalidStateError', `${this.path}: close() while its streams are locked`);
    await new Promise<void>((resolve) => {
      if (!port.isOpen) resolve();
      else port.close(() => resolve());
    });
    this.#port = null;
    this.#readable = null;
    this.#writable = null;
  }
}
