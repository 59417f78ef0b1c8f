/**
 * A SerialPortLike over a pair of Node byte streams: a TCP socket (pySerial's `socket://host:port`) or a
 * board program's stdout/stdin. SerialPortTransport on top then behaves exactly as for a serial port:
 * the read side ending or failing is a lost device ('disconnect', streams errored).
 */
import type { Readable, Writable } from 'node:stream';
import type { PortEventListener, SerialPortInfoLike, SerialPortLike } from '../../lib/transport/SerialPortLike.ts';

export interface ByteStreams {
  input: Readable;
  output: Writable;
  /** Release the underlying resource (end the socket); called by close(). */
  close(): void;
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export class StreamSerialPort implements SerialPortLike {
  readonly label: string;
  readonly #connect: () => Promise<ByteStreams>;
  readonly #events = new EventTarget();
  #streams: ByteStreams | null = null;
  #readable: ReadableStream<Uint8Array> | null = null;
  #writable: WritableStream<Uint8Array> | null = null;

  constructor(label: string, connect: () => Promise<ByteStreams>) {
    this.label = label;
    this.#connect = connect;
  }

  get readable(): ReadableStream<Uint8Array> | null {
    return this.#readable;
  }
  get writable(): WritableStream<Uint8Array> | null {
    return this.#writable;
  }
  getInfo(): SerialPortInfoLike {
    return {};
  }
  addEventListener(type: 'connect' | 'disconnect', listener: PortEventListener): void {
    this.#events.addEventListener(type, listener);
  }
  removeEventListener(type: 'connect' | 'disconnect', listener: PortEventListener): void {
    this.#events.removeEventListener(type, listener);
  }

  async open(): Promise<void> {
    if (this.#streams) throw namedError('InvalidStateError', `${this.label} is already open`);
    let streams: ByteStreams;
    try {
      streams = await this.#connect();
    } catch (error) {
      throw namedError('NetworkError', `${this.label}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.#streams = streams;
    const { input, output } = streams;
    let closedByUs = false;
    let ended = false;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    this.#readable = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          controller = c;
        },
        pull: () => {
          input.resume();
        },
        cancel: () => {
          closedByUs = true;
          input.pause();
        },
      },
      { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
    );
    input.on('data', (data: Buffer) => {
      try {
        controller.enqueue(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) input.pause();
      } catch {
        // cancelled: nobody reads these bytes
      }
    });
    input.pause();
    const lost = (why: string) => {
      if (ended) return;
      ended = true;
      this.#streams = null;
      this.#readable = null;
      this.#writable = null;
      if (closedByUs) return;
      try {
        controller.error(namedError('NetworkError', `${this.label}: ${why}`));
      } catch {
        // already errored
      }
      this.#events.dispatchEvent(new Event('disconnect'));
    };
    input.once('end', () => lost('the other end closed the connection'));
    input.once('close', () => lost('the connection closed'));
    input.on('error', (error) => lost(error.message));
    output.on('error', (error) => lost(error.message));
    this.#writable = new WritableStream<Uint8Array>({
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          if (ended || output.destroyed) {
            reject(namedError('NetworkError', `${this.label} is closed`));
            return;
          }
          output.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), (error) => (error ? reject(namedError('NetworkError', error.message)) : resolve()));
        }),
    });
    this.#markClosedByUs = () => {
      closedByUs = true;
    };
  }

  #markClosedByUs: () => void = () => {};

  async close(): Promise<void> {
    const streams = this.#streams;
    if (!streams) return;
    this.#markClosedByUs();
    this.#streams = null;
    this.#readable = null;
    this.#writable = null;
    streams.close();
  }
}
