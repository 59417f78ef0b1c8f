/**
 * The read loop: bytes from the transport → FrameDecoder → whole messages. The decoder never throws
 * and drops bad frames by reason (firmware-protocol), so the loop ends only when the stream does: on
 * stop() (clean) or on a transport failure, reported through onEnd.
 */
import type { FrameDecoder, Message } from '../../../firmware-protocol/src/index.ts';

export class FrameReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder: FrameDecoder;
  readonly #onMessage: (message: Message) => void;
  readonly #onEnd: (error: unknown) => void;
  #stopped = false;
  readonly done: Promise<void>;

  constructor(readable: ReadableStream<Uint8Array>, decoder: FrameDecoder, onMessage: (message: Message) => void, onEnd: (error: unknown) => void) {
    this.#reader = readable.getReader();
    this.#decoder = decoder;
    this.#onMessage = onMessage;
    this.#onEnd = onEnd;
    this.done = this.#loop();
  }

  /** Stop reading and release the stream. */
  async stop(): Promise<void> {
    if (this.#stopped) return this.done;
    this.#stopped = true;
    await this.#reader.cancel().catch(() => {});
    await this.done;
  }

  async #loop(): Promise<void> {
    let failure: unknown = null;
    try {
      for (;;) {
        const { value, done } = await this.#reader.read();
        if (done) break;
        for (const message of this.#decoder.push(value)) {
          if (this.#stopped) break;
          try {
            this.#onMessage(message);
          } catch (error) {
            // A handler bug must not take the link down; surface it instead of hiding it.
            queueMicrotask(() => {
              throw error;
            });
          }
        }
      }
    } catch (error) {
      failure = error;
    }
    try {
      this.#reader.releaseLock();
    } catch {
      // already released
    }
    if (!this.#stopped) this.#onEnd(failure ?? new Error('the byte stream ended'));
  }
}
