/**
 * Everything between a request and its reply: seq numbers, encoding, the outgoing queue, per-attempt
 * timeouts, the retry rule, reply matching, heartbeat bookkeeping, ESTOP's special treatment and the
 * 'command' events the session record needs. StimulatorClient decides what to send; this decides how.
 *
 * Rules (PROTOCOL.md):
 * - a request is encoded before it is queued, so an EncodeError/ProgramRejectedError means no byte moved;
 * - only RETRIED types are re-sent (same seq, so a late reply still matches); SET_PROGRAM, START, STOP and
 *   SET_AMPLITUDE never are; HEARTBEAT is not either (the next one follows);
 * - ESTOP is queued ahead of everything, cancels queued commands that could undo it (a late CLEAR_FAULT or
 *   START) and stops their retries, and is re-sent every timeout until ACKed (a NACK counts as no answer).
 */
import { encodeFrame, type Program, type AckMessage, type HeartbeatMessage, type HostMessage, type ValidationContext } from '../../../firmware-protocol/src/index.ts';
import type { Clock } from '../clock.ts';
import { CancelledError, NackError, NotConnectedError, RequestTimeoutError } from './errors.ts';
import { HeartbeatBook } from './HeartbeatBook.ts';
import { OutgoingQueue } from './OutgoingQueue.ts';
import { PendingRequests, type PendingRequest } from './PendingRequests.ts';
import { answers, type ReplyMessage } from './replies.ts';
import { SeqAllocator } from './SeqAllocator.ts';
import type { CommandEvent } from './types.ts';

/** Requests that may be re-sent without changing the outcome. */
export const RETRIED: ReadonlySet<HostMessage['type']> = new Set(['hello', 'getInfo', 'getStatus', 'measureImpedance', 'clearFault']);
/** Queued or retrying requests that an ESTOP cancels. */
export const CANCELLED_BY_ESTOP: ReadonlySet<HostMessage['type']> = new Set(['setProgram', 'start', 'stop', 'setAmplitude', 'clearFault']);

export interface RequestPipeHooks {
  command(event: CommandEvent): void;
  /** An ACK matched its request (channel-state effects live in the client). */
  ack(request: HostMessage, ack: AckMessage): void;
  /** The board answered NACK helloRequired: it has reset since the handshake (the client decides). */
  helloRequired(requestType: HostMessage['type']): void;
}

export interface RequestPipeOptions {
  timeoutMs: number;
  retries: number;
  firstSeq: number;
  /** The validation context of a program or amplitude on `channel` (the encoder's last check). */
  validation: (channel: number) => ValidationContext;
  /**
   * The channel's verified program, so encodeFrame re-checks a live SET_AMPLITUDE against it: the
   * protocol layer refuses an out-of-limit amplitude even if the client's own check were bypassed.
   */
  activeProgram?: (channel: number) => Program | null;
}

type Waiter = { resolve: () => void; reject: (error: Error) => void };
type Tag = { message: HostMessage };

function settleAll(waiters: Waiter[], error: Error | null): void {
  for (const w of waiters.splice(0, waiters.length)) {
    if (error) w.reject(error);
    else w.resolve();
  }
}

function ignore(): void {}

export class RequestPipe {
  readonly #clock: Clock;
  readonly #options: RequestPipeOptions;
  readonly #hooks: RequestPipeHooks;
  readonly #seq: SeqAllocator;
  readonly #pending: PendingRequests;
  readonly #heartbeats = new HeartbeatBook();
  #queue: OutgoingQueue<Tag> | null = null;
  #hello: PendingRequest | null = null;
  #estop: PendingRequest | null = null;
  #estopWaiters: Waiter[] = [];
  heartbeatsSent = 0;
  heartbeatAcks = 0;
  lastRttMs: number | null = null;

  constructor(clock: Clock, options: RequestPipeOptions, hooks: RequestPipeHooks) {
    this.#clock = clock;
    this.#options = options;
    this.#hooks = hooks;
    this.#seq = new SeqAllocator(options.firstSeq);
    this.#pending = new PendingRequests(clock, options.timeoutMs, (r) => this.#onTimeout(r));
  }

  get attached(): boolean {
    return this.#queue !== null;
  }

  /** Start writing to `writer`; `onWriteError` is told once if a write fails (the link is gone). */
  attach(writer: WritableStreamDefaultWriter<Uint8Array>, onWriteError: (error: unknown) => void): void {
    this.#queue = new OutgoingQueue<Tag>(writer, onWriteError);
    this.heartbeatsSent = 0;
    this.heartbeatAcks = 0;
    this.lastRttMs = null;
  }

  /** Drop everything queued, fail everything awaiting a reply with `error`, and stop writing. */
  detach(error: Error): void {
    this.#queue?.close(error);
    this.#queue = null;
    this.#pending.rejectAll(() => error);
    this.#heartbeats.clear();
    this.#hello = null;
    this.#estop = null;
    settleAll(this.#estopWaiters, error);
  }

  nextSeq(): number {
    return this.#seq.next((seq) => this.#pending.has(seq) || this.#heartbeats.has(seq));
  }

  /** Encode (throws before anything is queued), queue, and await the matching reply. NACK rejects with NackError. */
  request(message: HostMessage, flags: { hello?: boolean } = {}): Promise<ReplyMessage> {
    const active = message.type === 'setAmplitude' ? this.#options.activeProgram?.(message.channel) ?? null : null;
    const checkedChannel = message.type === 'setProgram' ? message.program.channel : active ? active.channel : null;
    const frame = encodeFrame(
      message,
      checkedChannel !== null ? { validation: this.#options.validation(checkedChannel), ...(active ? { activeProgram: active } : {}) } : {},
    );
    if (!this.#queue) return Promise.reject(new NotConnectedError(message.type, 'disconnected'));
    const maxAttempts = message.type === 'estop' ? Infinity : RETRIED.has(message.type) ? 1 + this.#options.retries : 1;
    return new Promise<ReplyMessage>((resolve, reject) => {
      const request: PendingRequest = {
        message,
        frame,
        attempts: 0,
        maxAttempts,
        urgent: message.type === 'estop',
        cancelReason: null,
        sentAtMs: 0,
        queued: false,
        timer: null,
        resolve,
        reject,
      };
      this.#pending.add(request);
      if (flags.hello) this.#hello = request;
      if (message.type === 'estop') this.#estop = request;
      this.#enqueue(request);
    });
  }

  /** Fail the HELLO in flight (the board answered in another protocol version). */
  failHello(error: Error): void {
    const hello = this.#hello;
    if (!hello) return;
    this.#settle(hello);
    hello.reject(error);
  }

  /** Write ESTOP ahead of everything, cancel what could undo it, keep re-sending until ACKed. Resolves once written. */
  estop(): Promise<void> {
    if (!this.#queue) return Promise.reject(new NotConnectedError('estop()', 'disconnected'));
    this.#cancelForEstop();
    const written = new Promise<void>((resolve, reject) => this.#estopWaiters.push({ resolve, reject }));
    const pending = this.#estop;
    if (pending) {
      // Already retrying: write it again now rather than wait for its timer.
      if (!pending.queued) this.#enqueue(pending);
    } else {
      this.request({ type: 'estop', seq: this.nextSeq() }).catch(ignore); // only a lost link ends it
    }
    return written;
  }

  /** HEARTBEAT, fire-and-forget: no promise, no timer; its ACK is counted, its absence reported on expiry. */
  sendHeartbeat(): void {
    const queue = this.#queue;
    if (!queue) return;
    const message: HeartbeatMessage = { type: 'heartbeat', seq: this.nextSeq() };
    queue.push({
      bytes: encodeFrame(message),
      urgent: false,
      tag: { message },
      onSend: () => {
        const now = this.#clock.now();
        this.heartbeatsSent++;
        this.#heartbeats.sent(message, now);
        this.#hooks.command({ kind: 'sent', message, atMs: now });
      },
      onWritten: ignore,
      onDropped: ignore,
    });
  }

  /** Report heartbeats unanswered for a timeout as 'timeout' command events. */
  expireHeartbeats(nowMs: number): void {
    for (const h of this.#heartbeats.expire(nowMs, this.#options.timeoutMs)) {
      this.#hooks.command({ kind: 'timeout', request: h.message, atMs: nowMs, attempt: 1 });
    }
  }

  /** A reply from the board: settle the request it answers (unknown or ill-fitting replies are ignored). */
  reply(reply: ReplyMessage): void {
    if (this.#heartbeats.has(reply.replyTo)) return this.#heartbeatReply(reply);
    const request = this.#pending.get(reply.replyTo);
    if (!request || !answers(request.message, reply)) return;
    const now = this.#clock.now();
    const rttMs = now - request.sentAtMs;
    this.lastRttMs = rttMs;
    if (reply.type === 'nack') {
      this.#hooks.command({ kind: 'nack', request: request.message, nack: reply, atMs: now });
      if (reply.code === 'helloRequired') this.#hooks.helloRequired(request.message.type);
      // ESTOP is re-sent until ACKed: a NACK only waits for the next attempt.
      if (request.message.type === 'estop') return;
      this.#settle(request);
      request.reject(new NackError(request.message, reply));
      return;
    }
    if (reply.type === 'ack') {
      this.#hooks.command({ kind: 'ack', request: request.message, ack: reply, atMs: now, rttMs });
      this.#hooks.ack(request.message, reply);
    } else this.#hooks.command({ kind: 'reply', request: request.message, reply, atMs: now, rttMs });
    this.#settle(request);
    request.resolve(reply);
  }

  // ---------------------------------------------------------------- internals

  #enqueue(request: PendingRequest): void {
    const queue = this.#queue;
    if (!queue) {
      this.#pending.remove(request);
      request.reject(new NotConnectedError(request.message.type, 'disconnected'));
      return;
    }
    request.queued = true;
    queue.push({
      bytes: request.frame,
      urgent: request.urgent,
      tag: request,
      onSend: () => this.#onSend(request),
      onWritten: () => {
        if (request.message.type === 'estop') settleAll(this.#estopWaiters, null);
      },
      onDropped: (error) => this.#onDropped(request, error),
    });
  }

  #onSend(request: PendingRequest): void {
    request.queued = false;
    request.attempts++;
    const now = this.#clock.now();
    request.sentAtMs = now;
    this.#hooks.command({ kind: 'sent', message: request.message, atMs: now });
    if (this.#pending.get(request.message.seq) === request) this.#pending.arm(request);
  }

  #onDropped(request: PendingRequest, error: Error): void {
    request.queued = false;
    if (this.#pending.get(request.message.seq) !== request) return;
    this.#settle(request);
    request.reject(error);
  }

  #onTimeout(request: PendingRequest): void {
    const now = this.#clock.now();
    this.#hooks.command({ kind: 'timeout', request: request.message, atMs: now, attempt: request.attempts });
    if (request.queued) return; // a copy is waiting to be written; its write restarts the timer
    if (request.attempts < request.maxAttempts && this.#queue && !this.#queue.closed) {
      this.#enqueue(request);
      return;
    }
    this.#settle(request);
    request.reject(request.cancelReason !== null ? new CancelledError(request.message, request.cancelReason) : new RequestTimeoutError(request.message, request.attempts, this.#options.timeoutMs));
  }

  /** Done with a request: stop its timer and drop a retry copy still queued. */
  #settle(request: PendingRequest): void {
    this.#pending.remove(request);
    if (this.#hello === request) this.#hello = null;
    if (this.#estop === request) this.#estop = null;
    if (request.queued) {
      request.queued = false;
      this.#queue?.dropWhere((f) => f.tag === request, () => new Error('settled'));
    }
  }

  #cancelForEstop(): void {
    this.#queue?.dropWhere(
      (f) => CANCELLED_BY_ESTOP.has(f.tag.message.type),
      (f) => new CancelledError(f.tag.message, 'ESTOP was requested'),
    );
    for (const r of this.#pending.values()) {
      if (CANCELLED_BY_ESTOP.has(r.message.type) && r.attempts < r.maxAttempts) {
        r.maxAttempts = r.attempts;
        r.cancelReason = 'ESTOP was requested (no further attempts)';
      }
    }
  }

  #heartbeatReply(reply: ReplyMessage): void {
    if ((reply.type !== 'ack' || reply.ackedType !== 'heartbeat') && (reply.type !== 'nack' || reply.rejectedType !== 'heartbeat')) return;
    const sent = this.#heartbeats.take(reply.replyTo);
    if (!sent) return;
    const now = this.#clock.now();
    const rttMs = now - sent.sentAtMs;
    this.lastRttMs = rttMs;
    if (reply.type === 'ack') {
      this.heartbeatAcks++;
      this.#hooks.command({ kind: 'ack', request: sent.message, ack: reply, atMs: now, rttMs });
      return;
    }
    this.#hooks.command({ kind: 'nack', request: sent.message, nack: reply, atMs: now });
    if (reply.code === 'helloRequired') this.#hooks.helloRequired('heartbeat');
  }
}
