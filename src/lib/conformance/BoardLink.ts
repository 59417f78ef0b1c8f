/**
 * The suite's side of the wire: one reader and one writer on a Transport, every decoded board frame kept
 * with the time it arrived, sequence numbers, request/reply matching and a heartbeat while waiting.
 * It owns no framing rules beyond firmware-protocol, and no timers beyond the injected ConformanceTimer.
 */
import {
  FrameDecoder,
  HEARTBEAT_PERIOD_MS,
  encodeFrame,
  type BoardMessage,
  type HostMessage,
  type Message,
  type StatusMessage,
} from '../../../firmware-protocol/src/index.ts';
import type { Transport } from '../transport/Transport.ts';
import { CheckFailure, ConformanceStopped, type ConformanceTimer } from './types.ts';

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;
export type Request = WithoutSeq<HostMessage>;

export interface Received {
  message: BoardMessage;
  /** Timer time when the frame was decoded, ms. */
  atMs: number;
}

/** Replies carry replyTo; an unsolicited STATUS has replyTo 0 and is not a reply. */
export function isReply(m: BoardMessage): m is Extract<BoardMessage, { replyTo: number }> {
  return 'replyTo' in m && m.replyTo !== 0;
}

/** Seqs the suite uses: far from the golden vectors' seqs (1 … 300 and 65535), so replies never mix. */
const FIRST_SEQ = 1000;
const LAST_SEQ = 60_000;
/** How often the suite looks for a reply while waiting, ms. */
const POLL_MS = 1;

export class BoardLink {
  readonly received: Received[] = [];
  readonly decoder = new FrameDecoder();
  /** Timer time of the last write of a frame the board must count as valid (feeds its watchdog). */
  lastValidSentAtMs = Number.NEGATIVE_INFINITY;
  readError: unknown = null;
  readonly #transport: Transport;
  readonly #timer: ConformanceTimer;
  readonly #replyTimeoutMs: number;
  #seq = FIRST_SEQ;
  #writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #reading: Promise<void> | null = null;
  /** Set once the run is stopped: every later send or wait ends the check. */
  #stopped = false;

  constructor(transport: Transport, timer: ConformanceTimer, replyTimeoutMs: number) {
    this.#transport = transport;
    this.#timer = timer;
    this.#replyTimeoutMs = replyTimeoutMs;
  }

  get timer(): ConformanceTimer {
    return this.#timer;
  }

  start(): void {
    this.#writer = this.#transport.writable.getWriter();
    const reader = (this.#reader = this.#transport.readable.getReader());
    this.#reading = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          const atMs = this.#timer.now();
          for (const m of this.decoder.push(value)) this.received.push({ message: m as BoardMessage, atMs });
        }
      } catch (error) {
        this.readError = error;
      }
    })();
  }

  async stop(): Promise<void> {
    try {
      await this.#reader?.cancel();
    } catch {
      // already errored (device lost)
    }
    this.#reader?.releaseLock();
    this.#writer?.releaseLock();
    await this.#reading;
    this.#reader = null;
    this.#writer = null;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Stop the run: ESTOP goes out now (ahead of anything a check would send next), and every later send
   * or wait throws ConformanceStopped. Resolves when the ESTOP has been handed to the transport.
   */
  async emergencyStop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (!this.#writer) return;
    await this.#writer.write(encodeFrame({ type: 'estop', seq: this.nextSeq() }));
  }

  #throwIfStopped(): void {
    if (this.#stopped) throw new ConformanceStopped('stopped by the user: ESTOP sent');
  }

  nextSeq(): number {
    const s = this.#seq;
    this.#seq = s >= LAST_SEQ ? FIRST_SEQ : s + 1;
    return s;
  }

  /** Write raw bytes. `valid` marks a well-formed request (it feeds the board's watchdog). */
  async write(bytes: Uint8Array, valid: boolean): Promise<number> {
    this.#throwIfStopped();
    if (!this.#writer) throw new CheckFailure('the link is not started');
    const atMs = this.#timer.now();
    if (valid) this.lastValidSentAtMs = atMs;
    await this.#writer.write(bytes);
    return atMs;
  }

  /** Encode and send one request; returns its seq and the time the write began. */
  async send(request: Request, seq = this.nextSeq()): Promise<{ seq: number; sentAtMs: number }> {
    const sentAtMs = await this.write(encodeFrame({ ...request, seq } as HostMessage), true);
    return { seq, sentAtMs };
  }

  /** Index to pass to `since` / `waitFor` so only frames from now on are looked at. */
  mark(): number {
    return this.received.length;
  }

  since(mark: number): BoardMessage[] {
    return this.received.slice(mark).map((r) => r.message);
  }

  /** The first frame from `mark` on that satisfies `predicate`, waiting up to `timeoutMs`; null on timeout. */
  async waitFor(predicate: (m: BoardMessage) => boolean, mark: number, timeoutMs = this.#replyTimeoutMs): Promise<Received | null> {
    const deadline = this.#timer.now() + timeoutMs;
    let i = mark;
    for (;;) {
      for (; i < this.received.length; i++) if (predicate(this.received[i]!.message)) return this.received[i]!;
      this.#throwIfStopped();
      if (this.readError !== null) return null;
      if (this.#timer.now() >= deadline) return null;
      await this.#timer.sleep(POLL_MS);
    }
  }

  /** Send a request and return its reply (the first frame with replyTo = its seq), or null. */
  async exchange(request: Request): Promise<{ reply: BoardMessage | null; seq: number; sentAtMs: number; replyAtMs: number }> {
    const mark = this.mark();
    const { seq, sentAtMs } = await this.send(request);
    const r = await this.waitFor((m) => isReply(m) && m.replyTo === seq, mark);
    return { reply: r?.message ?? null, seq, sentAtMs, replyAtMs: r?.atMs ?? Number.NaN };
  }

  /** As `exchange`, but an unanswered request ends the check. */
  async request(request: Request): Promise<BoardMessage> {
    const { reply } = await this.exchange(request);
    if (!reply) throw new CheckFailure(`no reply to ${request.type} within ${this.#replyTimeoutMs} ms`);
    return reply;
  }

  async status(): Promise<StatusMessage> {
    const reply = await this.request({ type: 'getStatus' });
    if (reply.type !== 'status') throw new CheckFailure(`GET_STATUS answered with ${describeMessage(reply)} (expected STATUS)`);
    return reply;
  }

  /** Let `ms` pass while sending a HEARTBEAT every 100 ms, as a live host does, so the watchdog stays fed. */
  async hold(ms: number): Promise<void> {
    const end = this.#timer.now() + ms;
    for (;;) {
      const now = this.#timer.now();
      if (now >= end) return;
      if (now - this.lastValidSentAtMs >= HEARTBEAT_PERIOD_MS) await this.send({ type: 'heartbeat' });
      const next = Math.min(end, this.lastValidSentAtMs + HEARTBEAT_PERIOD_MS);
      await this.#timer.sleep(Math.max(POLL_MS, next - this.#timer.now()));
      this.#throwIfStopped();
    }
  }

  /** Let `ms` pass without sending anything (the board's watchdog is not fed). */
  async silence(ms: number): Promise<void> {
    await this.#timer.sleep(ms);
    this.#throwIfStopped();
  }
}

/** A board message in a line of text for a detail field. */
export function describeMessage(m: Message | null): string {
  if (!m) return 'nothing';
  switch (m.type) {
    case 'nack':
      return `NACK ${m.code} (field ${m.field}, value ${m.value}, bound ${m.bound})`;
    case 'ack':
      return `ACK of ${m.ackedType}`;
    case 'fault':
      return `FAULT ${m.code}`;
    default:
      return m.type.toUpperCase();
  }
}
