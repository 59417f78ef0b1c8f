/**
 * A Transport for client unit tests: it decodes every frame the client writes and answers through a
 * scripted board (`handlers`), by default a well-behaved one. Tests replace single handlers to return
 * NACKs, wrong echoes or nothing at all, hold writes in flight (`holdWrites`), or drop the link.
 */
import {
  ALL_CHANNELS,
  FrameDecoder,
  encodeFrame,
  type BoardCaps,
  type BoardMessage,
  type ChannelState,
  type FaultCode,
  type HostMessage,
  type InfoMessage,
  type Message,
  type StatusMessage,
} from '../../../firmware-protocol/src/index.ts';
import { TransportError, type LineErrorKind, type PortIdentity, type Transport } from '../../../src/lib/transport/Transport.ts';

export const TEST_CAPS: BoardCaps = {
  channelCount: 2,
  maxAmplitudeUa: 80_000,
  maxPulseWidthUs: 400,
  minFrequencyDeciHz: 10,
  maxFrequencyDeciHz: 1500,
  maxSlewUaPerS: 10_000,
  complianceMv: 80_000,
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Handler = (m: HostMessage, t: ScriptedTransport) => void;

export class ScriptedTransport implements Transport {
  readonly kind = 'simulated' as const;
  readonly identity: PortIdentity = { kind: 'simulated', label: 'Scripted board' };
  /** Every chunk the client wrote, in order. */
  readonly chunks: Uint8Array[] = [];
  /** Every message decoded from those chunks, in order. */
  readonly received: HostMessage[] = [];
  readonly decoder = new FrameDecoder();
  caps: BoardCaps = { ...TEST_CAPS };
  fault: FaultCode | null = null;
  helloDone = false;
  channelStates: ChannelState[] = ['idle', 'idle'];
  protocolVersion = 1;
  openCount = 0;
  closeCount = 0;
  /** While set, each write waits for release() (a frame "in flight" on a slow line). */
  holdWrites = false;
  readonly handlers: Partial<Record<HostMessage['type'], Handler>> = {};
  #open = false;
  #readable: ReadableStream<Uint8Array> | null = null;
  #writable: WritableStream<Uint8Array> | null = null;
  #rc: ReadableStreamDefaultController<Uint8Array> | null = null;
  #wc: WritableStreamDefaultController | null = null;
  #held: (() => void)[] = [];
  #disconnect = new Set<() => void>();
  #lineError = new Set<(k: LineErrorKind) => void>();
  #outSeq = 1;

  get isOpen(): boolean {
    return this.#open;
  }
  get readable(): ReadableStream<Uint8Array> {
    if (!this.#readable) throw new TransportError('NOT_OPEN', 'closed');
    return this.#readable;
  }
  get writable(): WritableStream<Uint8Array> {
    if (!this.#writable) throw new TransportError('NOT_OPEN', 'closed');
    return this.#writable;
  }

  async open(): Promise<void> {
    if (this.#open) throw new TransportError('ALREADY_OPEN', 'open');
    this.openCount++;
    this.#open = true;
    this.#readable = new ReadableStream<Uint8Array>({ start: (c) => void (this.#rc = c) });
    this.#writable = new WritableStream<Uint8Array>({
      start: (c) => void (this.#wc = c),
      write: async (chunk) => {
        if (this.holdWrites) await new Promise<void>((r) => this.#held.push(r));
        this.chunks.push(chunk.slice());
        for (const m of this.decoder.push(chunk)) {
          this.received.push(m as HostMessage);
          this.#handle(m);
        }
      },
    });
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.closeCount++;
    this.#open = false;
    try {
      this.#rc?.close();
    } catch {
      // cancelled
    }
    try {
      this.#wc?.error(new TransportError('NOT_OPEN', 'closed'));
    } catch {
      // errored
    }
    this.#readable = null;
    this.#writable = null;
    for (const r of this.#held.splice(0)) r();
  }

  onDisconnect(listener: () => void): () => void {
    this.#disconnect.add(listener);
    return () => this.#disconnect.delete(listener);
  }
  onLineError(listener: (kind: LineErrorKind) => void): () => void {
    this.#lineError.add(listener);
    return () => this.#lineError.delete(listener);
  }

  // ---- test controls ----
  /** Let the oldest held write complete. */
  releaseOne(): void {
    this.#held.shift()?.();
  }
  get heldWrites(): number {
    return this.#held.length;
  }
  /** The device is lost: streams error with DEVICE_LOST, listeners run once. */
  lose(): void {
    if (!this.#open) return;
    this.#open = false;
    const e = new TransportError('DEVICE_LOST', 'unplugged');
    try {
      this.#rc?.error(e);
    } catch {
      // closed
    }
    try {
      this.#wc?.error(e);
    } catch {
      // errored
    }
    this.#readable = null;
    this.#writable = null;
    for (const l of this.#disconnect) l();
  }
  lineError(kind: LineErrorKind): void {
    for (const l of this.#lineError) l(kind);
  }
  /** Send a board message (the board's own seq is assigned here). */
  send(message: DistributiveOmit<BoardMessage, 'seq'>, options: { version?: number } = {}): void {
    const m = { ...message, seq: this.#outSeq++ } as Message;
    this.#rc?.enqueue(encodeFrame(m, options.version !== undefined ? { version: options.version } : {}));
  }
  sendRaw(bytes: Uint8Array): void {
    this.#rc?.enqueue(bytes);
  }
  status(replyTo = 0): StatusMessage {
    return {
      type: 'status',
      seq: 0,
      replyTo,
      uptimeMs: 0,
      fault: this.fault,
      helloDone: this.helloDone,
      channels: this.channelStates.map((state, channel) => ({ channel, state, amplitudeUa: 0, targetUa: 0, elapsedMs: 0 })),
    };
  }
  info(replyTo: number): InfoMessage {
    return {
      type: 'info',
      seq: 0,
      replyTo,
      protocolVersion: this.protocolVersion,
      firmwareMajor: 1,
      firmwareMinor: 0,
      firmwarePatch: 0,
      watchdogMs: 500,
      telemetryRateHz: 0,
      caps: this.caps,
      serialNumber: 'SCRIPTED',
    };
  }
  ofType<T extends HostMessage['type']>(type: T): Extract<HostMessage, { type: T }>[] {
    return this.received.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type);
  }

  #ack(m: HostMessage, echo: Extract<BoardMessage, { type: 'ack' }>['echo'] = { kind: 'none' }): void {
    this.send({ type: 'ack', replyTo: m.seq, ackedType: m.type, echo });
  }

  #handle(m: Message): void {
    const custom = this.handlers[m.type as HostMessage['type']];
    if (custom) return custom(m as HostMessage, this);
    this.defaultHandle(m as HostMessage);
  }

  /** A well-behaved board, minus physics. */
  defaultHandle(m: HostMessage): void {
    if (m.type !== 'hello' && m.type !== 'estop' && !this.helloDone) {
      this.send({ type: 'nack', replyTo: m.seq, rejectedType: m.type, code: 'helloRequired', field: 'none', value: 0, bound: 0 });
      return;
    }
    switch (m.type) {
      case 'hello':
        this.helloDone = true;
        this.send(this.info(m.seq));
        return;
      case 'getInfo':
        this.send(this.info(m.seq));
        return;
      case 'getStatus':
        this.send(this.status(m.seq));
        return;
      case 'setProgram':
        this.#ack(m, { kind: 'program', program: { ...m.program } });
        return;
      case 'setAmplitude':
        this.#ack(m, { kind: 'amplitude', channel: m.channel, amplitudeUa: m.amplitudeUa });
        return;
      case 'start':
        this.channelStates[m.channel] = 'ramping-up';
        this.#ack(m);
        this.send(this.status(0));
        return;
      case 'stop':
        for (let c = 0; c < this.channelStates.length; c++) if (m.channel === ALL_CHANNELS || m.channel === c) this.channelStates[c] = 'idle';
        this.#ack(m);
        this.send(this.status(0));
        return;
      case 'estop':
        this.channelStates = this.channelStates.map(() => 'idle');
        this.fault = 'estop';
        this.#ack(m);
        this.send({ type: 'fault', code: 'estop', channel: ALL_CHANNELS, detail: 0 });
        this.send(this.status(0));
        return;
      case 'clearFault':
        this.fault = null;
        this.#ack(m);
        return;
      case 'heartbeat':
        this.#ack(m);
        return;
      case 'measureImpedance':
        this.send({ type: 'impedance', replyTo: m.seq, channel: m.channel, impedanceOhm: 1200, ok: true });
        return;
    }
  }
}
