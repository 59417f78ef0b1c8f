/**
 * Heartbeats awaiting their ACK. Heartbeats are fire-and-forget (never retried: the next one follows
 * in heartbeatMs), so they skip the promise-and-timer machinery of PendingRequests: at 10 per second for
 * a 12-hour session that machinery was a large share of the client's cost. Unanswered ones are expired
 * on the next tick after their timeout and reported as 'timeout' command events.
 */
import type { HeartbeatMessage } from '../../../firmware-protocol/src/index.ts';

export interface SentHeartbeat {
  message: HeartbeatMessage;
  sentAtMs: number;
}

export class HeartbeatBook {
  readonly #sent = new Map<number, SentHeartbeat>();

  has(seq: number): boolean {
    return this.#sent.has(seq);
  }
  sent(message: HeartbeatMessage, atMs: number): void {
    this.#sent.set(message.seq, { message, sentAtMs: atMs });
  }
  /** The heartbeat `seq` answers, removed from the book; undefined if unknown or expired. */
  take(seq: number): SentHeartbeat | undefined {
    const h = this.#sent.get(seq);
    if (h) this.#sent.delete(seq);
    return h;
  }
  /** Remove and return heartbeats unanswered for longer than `timeoutMs`. */
  expire(nowMs: number, timeoutMs: number): SentHeartbeat[] {
    const out: SentHeartbeat[] = [];
    for (const [seq, h] of this.#sent) {
      if (nowMs - h.sentAtMs >= timeoutMs) {
        this.#sent.delete(seq);
        out.push(h);
      }
    }
    return out;
  }
  clear(): void {
    this.#sent.clear();
  }
}
