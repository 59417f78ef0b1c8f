/**
 * A Transport wrapper for tests: it passes everything through, except that every TELEMETRY sample from
 * the board reaches the host with `factor` times its current. It stands in for a board whose output
 * stage delivers more than it was told, which the suite must catch from TELEMETRY alone.
 */
import { FrameDecoder, encodeFrame, type BoardMessage } from '../../firmware-protocol/src/index.ts';
import type { LineErrorKind, PortIdentity, Transport, TransportKind } from '../../src/lib/transport/Transport.ts';

export class OverstatingTelemetry implements Transport {
  readonly #inner: Transport;
  readonly #factor: number;
  #readable: ReadableStream<Uint8Array> | null = null;

  constructor(inner: Transport, factor: number) {
    this.#inner = inner;
    this.#factor = factor;
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
  open(): Promise<void> {
    this.#readable = null;
    return this.#inner.open();
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
  get writable(): WritableStream<Uint8Array> {
    return this.#inner.writable;
  }
  get readable(): ReadableStream<Uint8Array> {
    if (!this.#readable) {
      const decoder = new FrameDecoder();
      const factor = this.#factor;
      this.#readable = this.#inner.readable.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            for (const m of decoder.push(chunk) as BoardMessage[]) {
              const out = m.type === 'telemetry' ? { ...m, samples: m.samples.map((s) => ({ ...s, currentUa: s.currentUa * factor })) } : m;
              controller.enqueue(encodeFrame(out));
            }
          },
        }),
      );
    }
    return this.#readable;
  }
  onDisconnect(listener: () => void): () => void {
    return this.#inner.onDisconnect(listener);
  }
  onLineError(listener: (kind: LineErrorKind) => void): () => void {
    return this.#inner.onLineError(listener);
  }
}
