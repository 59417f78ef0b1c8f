/**
 * A minimal byte-level host for board tests: it writes encodeFrame bytes to board.port.writable and reads
 * board.port.readable through its own FrameDecoder, on a VirtualClock. No StimulatorClient involved: these
 * tests pin the board's behaviour at the wire.
 */
import {
  FrameDecoder,
  encodeFrame,
  type BoardMessage,
  type HostMessage,
  type Message,
  type MessageOf,
  type MessageType,
  type Program,
} from '../../firmware-protocol/src/index.ts';
import { SimulatedBoard, VirtualClock, type SimulatedBoardOptions } from '../../hardware-mock/src/index.ts';

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> & { seq?: number } : never;
export type Request = WithoutSeq<HostMessage>;

export interface Sample {
  channel: number;
  atMs: number;
  currentUa: number;
  voltageMv: number;
}

export function conventional(overrides: Partial<Program> = {}): Program {
  return {
    channel: 0,
    mode: 'conventional',
    waveform: 'symmetric-biphasic',
    frequencyDeciHz: 1000,
    pulseWidthUs: 200,
    amplitudeUa: 20_000,
    durationMs: 60_000,
    rampUpMs: 2_000,
    rampDownMs: 2_000,
    burstPulses: 0,
    burstFrequencyDeciHz: 0,
    sweepHighDeciHz: 0,
    sweepPeriodMs: 0,
    ...overrides,
  };
}

/** Highest current among samples (of one channel, if given), without spreading huge arrays. */
export function peakUa(samples: Sample[], channel?: number): number {
  let peak = 0;
  for (const s of samples) if ((channel === undefined || s.channel === channel) && s.currentUa > peak) peak = s.currentUa;
  return peak;
}

export class Host {
  readonly clock: VirtualClock;
  readonly board: SimulatedBoard;
  readonly decoder = new FrameDecoder();
  /** Every message the host decoded, in order. */
  readonly received: Message[] = [];
  writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  readError: unknown = null;
  /** Every byte chunk read from the port, copied (for byte-exact comparisons). */
  readonly chunks: Uint8Array[] = [];
  #seq = 1;
  #reading: Promise<void> | null = null;

  constructor(options: SimulatedBoardOptions = {}, clock = new VirtualClock()) {
    this.clock = clock;
    this.board = new SimulatedBoard({ clock, ...options });
  }

  /** A host with the port open, reading, and (unless `hello: false`) HELLO done. */
  static async connect(options: SimulatedBoardOptions = {}, { hello = true } = {}): Promise<Host> {
    const host = new Host(options);
    await host.open();
    if (hello) {
      const info = await host.request({ type: 'hello', minVersion: 1, maxVersion: 1 });
      if (info.type !== 'info') throw new Error(`HELLO answered with ${info.type}`);
    }
    return host;
  }

  async open(): Promise<void> {
    await this.board.port.open({ baudRate: 115_200 });
    this.writer = this.board.port.writable!.getWriter();
    this.reader = this.board.port.readable!.getReader();
    const reader = this.reader;
    this.#reading = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          this.chunks.push(value.slice());
          for (const m of this.decoder.push(value)) this.received.push(m);
        }
      } catch (error) {
        this.readError = error;
      }
    })();
  }

  nextSeq(): number {
    const s = this.#seq;
    this.#seq = s >= 0xffff ? 1 : s + 1;
    return s;
  }

  /** Encode and write one message (bypassing no validation); returns its seq. Resolves when write() does. */
  async send(request: Request): Promise<number> {
    const seq = request.seq ?? this.nextSeq();
    const message = { ...request, seq } as HostMessage;
    await this.writeRaw(encodeFrame(message));
    return seq;
  }

  async writeRaw(bytes: Uint8Array): Promise<void> {
    if (!this.writer) throw new Error('host not open');
    await this.writer.write(bytes);
  }

  /** Send and return the reply (the board message whose replyTo is the request's seq), within one settle. */
  async request(request: Request): Promise<BoardMessage> {
    const seq = await this.send(request);
    await this.clock.settle();
    const reply = this.replyTo(seq);
    if (!reply) throw new Error(`no reply to ${request.type} seq ${seq}; received ${this.received.map((m) => m.type).join(',')}`);
    return reply;
  }

  replyTo(seq: number): BoardMessage | undefined {
    return this.received.find((m): m is BoardMessage => 'replyTo' in m && m.replyTo === seq && m.type !== 'status') ??
      this.received.find((m): m is BoardMessage => 'replyTo' in m && m.replyTo === seq);
  }

  of<T extends MessageType>(type: T): MessageOf<T>[] {
    return this.received.filter((m): m is MessageOf<T> => m.type === type);
  }

  last<T extends MessageType>(type: T): MessageOf<T> | undefined {
    const all = this.of(type);
    return all[all.length - 1];
  }

  /** Everything read so far as one byte array. */
  bytesRead(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }

  clearReceived(): void {
    this.received.length = 0;
  }

  /** HELLO done; program stored (ACKed); START ACKed. */
  async startProgram(program: Program): Promise<void> {
    const ack = await this.request({ type: 'setProgram', program });
    if (ack.type !== 'ack') throw new Error(`setProgram answered ${JSON.stringify(ack)}`);
    const started = await this.request({ type: 'start', channel: program.channel });
    if (started.type !== 'ack') throw new Error(`start answered ${JSON.stringify(started)}`);
  }

  /** Advance time, sending a HEARTBEAT every `everyMs` (like a live host) so the watchdog stays fed. */
  async runWithHeartbeats(totalMs: number, everyMs = 100): Promise<void> {
    const id = this.clock.setInterval(() => void this.send({ type: 'heartbeat' }), everyMs);
    try {
      await this.clock.advance(totalMs);
    } finally {
      this.clock.clearInterval(id);
    }
  }

  /** Record every output-model sample. */
  recordSamples(): Sample[] {
    const samples: Sample[] = [];
    this.board.onSample((channel, atMs, currentUa, voltageMv) => samples.push({ channel, atMs, currentUa, voltageMv }));
    return samples;
  }

  async close(): Promise<void> {
    this.board.destroy();
    await this.clock.settle();
    await this.#reading;
  }
}
