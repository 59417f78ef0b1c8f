/**
 * A Transport decorator for tests that need to put raw bytes on the wire next to the client's own
 * frames (e.g. a frame crafted at byte level that no validator has seen). Everything else passes through.
 */
import type { LineErrorKind, PortIdentity, Transport, TransportKind } from '../../../src/lib/transport/Transport.ts';

export class TapTransport implements Transport {
  readonly #inner: Transport;
  #writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  #writable: WritableStream<Uint8Array> | null = null;

  constructor(inner: Transport) {
    this.#inner = inner;
  }
  get kind(): TransportKind {
    return this.#inner.kind;
  }
  get identity(): PortIdentity {
    return this.#inner.identity;
  }
  get isOpen(): boolean {
    return this.#inner.isOpen;
  }
  get readable(): ReadableStream<Uint8Array> {
    return this.#inner.readable;
  }
  get writable(): WritableStream<Uint8Array> {
    if (!this.#writable) throw new Error('TapTransport: not open');
    return this.#writable;
  }
  async open(): Promise<void> {
    await this.#inner.open();
    const writer = this.#inner.writable.getWriter();
    this.#writer = writer;
    this.#writable = new WritableStream<Uint8Array>({ write: (chunk) => writer.write(chunk) });
  }
  async close(): Promise<void> {
    try {
      this.#writer?.releaseLock();
    } catch {
      // released
    }
    this.#writer = null;
    this.#writable = null;
    await this.#inner.close();
  }
  onDisconnect(listener: () => void): () => void {
    return this.#inner.onDisconnect(listener);
  }
  onLineError(listener: (kind: LineErrorKind) => void): () => void {
    return this.#inner.onLineError(listener);
  }
  /** Write raw bytes to the board, bypassing the client entirely. */
  async inject(bytes: Uint8Array): Promise<void> {
    if (!this.#writer) throw new Error('TapTransport: not open');
    await this.#writer.write(bytes);
  }
}
