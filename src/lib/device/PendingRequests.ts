/**
 * Requests awaiting their reply, by seq, each with its per-attempt timeout. Retry policy lives in
 * RequestPipe; this only keeps the books and the timers.
 */
import type { HostMessage } from '../../../firmware-protocol/src/index.ts';
import type { Clock, TimerId } from '../clock.ts';
import type { ReplyMessage } from './replies.ts';

export interface PendingRequest {
  readonly message: HostMessage;
  readonly frame: Uint8Array;
  /** Attempts written so far. */
  attempts: number;
  /** Attempts allowed in all (1 + retries); Infinity for ESTOP, which is re-sent until ACKed. */
  maxAttempts: number;
  urgent: boolean;
  /** Set when an ESTOP stopped further attempts: a timeout then rejects with CancelledError. */
  cancelReason: string | null;
  /** Time of the latest write, ms. */
  sentAtMs: number;
  /** A copy of the frame is waiting in the outgoing queue. */
  queued: boolean;
  timer: TimerId | null;
  resolve: (reply: ReplyMessage) => void;
  reject: (error: Error) => void;
}

export class PendingRequests {
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #onTimeout: (request: PendingRequest) => void;
  readonly #bySeq = new Map<number, PendingRequest>();

  constructor(clock: Clock, timeoutMs: number, onTimeout: (request: PendingRequest) => void) {
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
    this.#onTimeout = onTimeout;
  }

  get size(): number {
    return this.#bySeq.size;
  }
  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  has(seq: number): boolean {
    return this.#bySeq.has(seq);
  }
  get(seq: number): PendingRequest | undefined {
    return this.#bySeq.get(seq);
  }
  add(request: PendingRequest): void {
    this.#bySeq.set(request.message.seq, request);
  }
  values(): PendingRequest[] {
    return [...this.#bySeq.values()];
  }

  /** Start (or restart) the timeout of the attempt just written. */
  arm(request: PendingRequest): void {
    if (request.timer !== null) this.#clock.clearTimeout(request.timer);
    request.timer = this.#clock.setTimeout(() => {
      request.timer = null;
      if (this.#bySeq.get(request.message.seq) === request) this.#onTimeout(request);
    }, this.#timeoutMs);
  }

  /** Remove a request (reply received, given up, or cancelled) and stop its timer. */
  remove(request: PendingRequest): void {
    if (request.timer !== null) this.#clock.clearTimeout(request.timer);
    request.timer = null;
    if (this.#bySeq.get(request.message.seq) === request) this.#bySeq.delete(request.message.seq);
  }

  /** Reject and remove every request. */
  rejectAll(error: (request: PendingRequest) => Error): void {
    for (const r of this.values()) {
      this.remove(r);
      r.reject(error(r));
    }
  }
}
