/**
 * The client's own outgoing queue, in front of a single transport writer. Frames are written one at a
 * time, so at most one (short) frame is ever in flight ahead of an urgent one: ESTOP is put at the front
 * and written the moment the in-flight write completes — or synchronously, when the line is idle
 * (WHATWG Streams call the sink's write() inside writer.write() when nothing is in flight).
 */
import { asError } from '../thrown.ts';

export interface OutgoingFrame<Tag = unknown> {
  bytes: Uint8Array;
  urgent: boolean;
  tag: Tag;
  /** Called just before the bytes go to the writer (the request counts as sent from here). */
  onSend: () => void;
  /** Called once the transport accepted the bytes. */
  onWritten: () => void;
  /** Called if the frame is dropped unsent (dropWhere, close, write failure). */
  onDropped: (error: Error) => void;
}

export class OutgoingQueue<Tag = unknown> {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #onWriteError: (error: unknown) => void;
  readonly #queue: OutgoingFrame<Tag>[] = [];
  #writing = false;
  #closed = false;
  /** Frames written since creation (diagnostics and tests). */
  written = 0;

  constructor(writer: WritableStreamDefaultWriter<Uint8Array>, onWriteError: (error: unknown) => void) {
    this.#writer = writer;
    this.#onWriteError = onWriteError;
  }

  get length(): number {
    return this.#queue.length;
  }
  get closed(): boolean {
    return this.#closed;
  }

  push(frame: OutgoingFrame<Tag>): void {
    if (this.#closed) {
      frame.onDropped(new Error('outgoing queue closed'));
      return;
    }
    if (frame.urgent) {
      // Behind earlier urgent frames (ESTOPs keep their order), ahead of everything else.
      let i = 0;
      while (i < this.#queue.length && this.#queue[i]!.urgent) i++;
      this.#queue.splice(i, 0, frame);
    } else this.#queue.push(frame);
    if (!this.#writing) void this.#run();
  }

  /** Remove unsent frames matching `predicate`; each is told why. */
  dropWhere(predicate: (frame: OutgoingFrame<Tag>) => boolean, error: (frame: OutgoingFrame<Tag>) => Error): void {
    const dropped: OutgoingFrame<Tag>[] = [];
    for (let i = 0; i < this.#queue.length; ) {
      const f = this.#queue[i]!;
      if (predicate(f)) {
        this.#queue.splice(i, 1);
        dropped.push(f);
      } else i++;
    }
    for (const f of dropped) f.onDropped(error(f));
  }

  /** Drop everything unsent and refuse new frames. */
  close(error: Error): void {
    this.#closed = true;
    this.dropWhere(() => true, () => error);
  }

  async #run(): Promise<void> {
    this.#writing = true;
    try {
      for (;;) {
        const frame = this.#queue.shift();
        if (!frame || this.#closed) {
          if (frame) frame.onDropped(new Error('outgoing queue closed'));
          break;
        }
        frame.onSend();
        try {
          await this.#writer.write(frame.bytes);
        } catch (error) {
          const e = asError(error);
          frame.onDropped(e);
          this.close(e);
          this.#onWriteError(error);
          break;
        }
        this.written++;
        frame.onWritten();
      }
    } finally {
      this.#writing = false;
    }
  }
}
