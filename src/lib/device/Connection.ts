/**
 * Everything that belongs to one connection of a StimulatorClient: the link's plumbing (writer, frame
 * reader, transport subscriptions), what the handshake learnt, the latched fault, liveness counters and the
 * promises waiting on this link. connect() makes a new one, so nothing of an earlier connection can leak
 * into the next by a field forgotten in a reset; a late callback of an earlier connection recognises
 * itself as stale by `retired` or by no longer being the client's current connection.
 *
 * The last connection is kept after it ends: `info` and `fault` stay readable until the next connect().
 */
import { FrameDecoder, type DroppedFrameInfo, type FaultCode, type InfoMessage, type Message } from '../../../firmware-protocol/src/index.ts';
import type { Clock } from '../clock.ts';
import { describeError } from '../thrown.ts';
import type { Transport } from '../transport/Transport.ts';
import { FrameReader } from './FrameReader.ts';
import type { RequestPipe } from './RequestPipe.ts';
import type { DeviceFault } from './types.ts';

export type Waiter = { resolve: () => void; reject: (error: Error) => void };

/** Settle every waiter of `waiters` (emptying it): resolved when `error` is null, rejected with it otherwise. */
export function settleWaiters(waiters: Waiter[], error: Error | null): void {
  const list = waiters.splice(0, waiters.length);
  for (const w of list) {
    if (error) w.reject(error);
    else w.resolve();
  }
}

export interface LinkParts {
  reader: FrameReader | null;
  writer: WritableStreamDefaultWriter<Uint8Array> | null;
}

export class Connection {
  /** disconnect() ended this connection: its late callbacks do nothing. */
  retired = false;
  /** Writer and reader attached, transport not lost. */
  linkOpen = false;
  handshakeDone = false;
  /** The board reset since the handshake: HELLO again before anything else. */
  needsHello = false;
  info: InfoMessage | null = null;
  /** The latched fault (board or client); cleared only by clearFault() or a new connection. */
  fault: DeviceFault | null = null;
  /** The board fault last raised, so a STATUS repeating it does not raise it again. */
  reportedBoardFault: FaultCode | null = null;
  /** 'board-silent' raised and not yet answered by a frame. */
  silentReported = false;
  /** Heartbeat ticks since connect (every N-th polls GET_STATUS). */
  ticks = 0;
  connectedAtMs = 0;
  lastRxMs: number | null = null;
  /** Recoverable line errors (framing, parity, break, overrun) the transport reported. */
  lineErrors = 0;
  readonly decoder: FrameDecoder;
  /** ESTOPs asked for while the port was still opening; sent first once it is open. */
  readonly preOpenEstops: Waiter[] = [];
  /** disconnect() waiting for every channel to ramp down. */
  readonly idleWaiters: (() => void)[] = [];
  #writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  #reader: FrameReader | null = null;
  #unsubscribe: (() => void)[] = [];

  constructor(onDrop?: (drop: DroppedFrameInfo) => void) {
    this.decoder = new FrameDecoder(onDrop ? { onDrop } : {});
  }

  /** Take the transport's writer and reader for this connection; `lost` is told why the link ended. */
  attach(transport: Transport, pipe: RequestPipe, nowMs: number, onMessage: (message: Message) => void, lost: (reason: string) => void): void {
    const writer = transport.writable.getWriter();
    this.#writer = writer;
    pipe.attach(writer, (e) => lost(`write failed: ${describeError(e)}`));
    this.#reader = new FrameReader(transport.readable, this.decoder, onMessage, (e) => lost(`read loop ended: ${describeError(e)}`));
    this.#unsubscribe = [
      transport.onDisconnect(() => lost('the transport reported the device lost')),
      transport.onLineError(() => {
        this.lineErrors++;
      }),
    ];
    this.linkOpen = true;
    this.connectedAtMs = nowMs;
  }

  /** Mark the link closed, drop the transport subscriptions and hand back the reader and writer to stop (once). */
  takeLink(): LinkParts {
    this.linkOpen = false;
    this.handshakeDone = false;
    for (const u of this.#unsubscribe) u();
    this.#unsubscribe = [];
    const parts = { reader: this.#reader, writer: this.#writer };
    this.#reader = null;
    this.#writer = null;
    return parts;
  }

  /** Resolves at the next resolveIdleWaiters() (every channel idle, or the link released), or after `timeoutMs`. */
  waitIdle(clock: Clock, timeoutMs: number): Promise<void> {
    const waiters = this.idleWaiters;
    return new Promise((resolve) => {
      const timer = clock.setTimeout(done, timeoutMs);
      function done(): void {
        clock.clearTimeout(timer);
        const at = waiters.indexOf(done);
        if (at >= 0) waiters.splice(at, 1);
        resolve();
      }
      waiters.push(done);
    });
  }

  resolveIdleWaiters(): void {
    for (const w of this.idleWaiters.splice(0, this.idleWaiters.length)) w();
  }
}

/** Release a writer's lock, if it still holds one. */
export function releaseWriter(writer: WritableStreamDefaultWriter<Uint8Array> | null): void {
  try {
    writer?.releaseLock();
  } catch {
    // already released
  }
}
