/**
 * The firmware: the message-handling state machine of PROTOCOL.md / the board contract, on top of the
 * output model. Frames are handled the moment their bytes arrive (`receive`, called synchronously from
 * the port's writable sink), so an ESTOP has zeroed the output before the host's write() resolves. The
 * board's own tick (`tick`) only advances the output model and sends TELEMETRY.
 *
 * Rules, in brief (firmware-protocol/PROTOCOL.md § 6, § 11, § 12, § 14; the board contract):
 * - before HELLO only HELLO and ESTOP are accepted; everything else gets NACK helloRequired;
 * - every accepted request is answered (INFO / STATUS / IMPEDANCE / ACK), every refusal is a NACK naming
 *   code, field, value and bound, and leaves the previous state intact;
 * - SET_PROGRAM is re-checked with the board's own limit checks (firmwareValidation.ts);
 * - START needs a program, no latched fault, and electrode impedance below IMPEDANCE_LIMIT_OHM;
 * - ESTOP, the watchdog, an electrode coming off and a brown-out all zero every channel at once and latch
 *   a fault (FAULT, then STATUS) until CLEAR_FAULT, which never restarts anything;
 * - STATUS goes out unsolicited (replyTo 0) on every channel-state change and fault.
 *
 * Versions: the board negotiates whatever `protocolVersions` it is given (so tests can build an
 * incompatible board), but it implements the v1 layouts only and frames everything with header version 1.
 */
import {
  ALL_CHANNELS,
  FAULT_CODES,
  MAX_SLEW_UA_PER_S,
  TYPE_CODES,
  encodeFrame,
  type BoardMessage,
  type ChannelStatus,
  type FaultCode,
  type FieldName,
  type HostMessage,
  type InfoMessage,
  type Message,
  type MessageType,
  type NackCode,
  type Program,
  type StatusMessage,
} from '../../firmware-protocol/src/index.ts';
import type { BoardConfig } from './BoardConfig.ts';
import type { TimerId } from './clock.ts';
import { ELECTRODE_OFF_LOAD, IMPEDANCE_LIMIT_OHM, IMPEDANCE_TEST_PULSE_US, effectiveImpedanceOhm } from './ElectrodeLoad.ts';
import { checkAmplitudeOnBoard, checkProgramOnBoard } from './firmwareValidation.ts';
import { FrameReceiver, type RejectedFrame } from './FrameReceiver.ts';
import { OutputModel } from './OutputModel.ts';
import { Rng } from './Rng.ts';
import { Watchdog } from './Watchdog.ts';

export interface FirmwareIo {
  /** Encoded bytes for the host (through the fault injector and the port). */
  transmit(bytes: Uint8Array): void;
  /** Every frame decoded ('in') or sent ('out'). */
  frame(direction: 'in' | 'out', message: Message): void;
  /** Whether anyone listens to frame(): if not, TELEMETRY samples may come from a reused pool. */
  framesObserved(): boolean;
}

export interface FirmwareStats {
  framesIn: number;
  framesOut: number;
  nacksSent: number;
  watchdogTrips: number;
}

/** Measurement noise on impedance readings: ±1 % (StimBench choice, typical of a simple V/I front end). */
const IMPEDANCE_NOISE = 0.01;

const u32 = (x: number): number => Math.min(0xffffffff, Math.max(0, Math.round(x)));

export class Firmware {
  readonly stats: FirmwareStats = { framesIn: 0, framesOut: 0, nacksSent: 0, watchdogTrips: 0 };
  readonly model: OutputModel;
  readonly #config: BoardConfig;
  readonly #io: FirmwareIo;
  readonly #receiver: FrameReceiver;
  readonly #watchdog: Watchdog;
  readonly #impedanceRng: Rng;
  /** Fastest rise the output stage will play: the board's cap, never above the protocol's. */
  readonly #slewUaPerS: number;
  #helloDone = false;
  #version = 0;
  #fault: FaultCode | null = null;
  #programs: (Program | null)[];
  #frozen = false;
  #hardwareCut: TimerId | null = null;
  #bootAtMs: number;
  #seq = 1;

  constructor(config: BoardConfig, io: FirmwareIo) {
    this.#config = config;
    this.#io = io;
    const now = config.clock.now();
    this.#bootAtMs = now;
    this.#programs = new Array<Program | null>(config.channelCount).fill(null);
    // TEST-ONLY noSlewLimit: a rise of 4 000 A/s is a step at any amplitude the board can play.
    this.#slewUaPerS = config.testOnlyBreakages.noSlewLimit ? 4e9 : Math.min(config.caps.maxSlewUaPerS, MAX_SLEW_UA_PER_S);
    this.#impedanceRng = Rng.derive(config.seed, 'impedance');
    this.model = new OutputModel({
      channelCount: config.channelCount,
      sampleIntervalUs: config.sampleIntervalUs,
      complianceMv: config.caps.complianceMv,
      load: config.load,
      originMs: now,
      telemetry: config.telemetryRateHz > 0,
      onStateChange: (_c, _state, atMs) => this.#statusIfChanged(false, atMs),
      onTelemetryFull: (c) => this.#sendTelemetry(c, false),
    });
    this.#receiver = new FrameReceiver(
      (m) => this.#onMessage(m),
      (r) => this.#onRejected(r),
    );
    this.#watchdog = new Watchdog(config.clock, config.watchdogMs, (silentMs) => {
      this.stats.watchdogTrips++;
      this.#latch('watchdog', ALL_CHANNELS, silentMs);
    });
  }

  get helloDone(): boolean {
    return this.#helloDone;
  }
  get fault(): FaultCode | null {
    return this.#fault;
  }
  get frozen(): boolean {
    return this.#frozen;
  }
  get drops() {
    return this.#receiver.drops;
  }
  program(channel: number): Program | null {
    const p = this.#programs[channel];
    return p ? { ...p } : null;
  }
  uptimeMs(): number {
    return this.#config.clock.now() - this.#bootAtMs;
  }

  /** Bytes from the host. A frozen firmware reads nothing. */
  receive(bytes: Uint8Array): void {
    if (!this.#frozen) this.#receiver.push(bytes);
  }

  /** The board's periodic tick: output model up to now, then one TELEMETRY per channel that wants one. */
  tick(): void {
    this.model.advanceTo(this.#now());
    if (this.#frozen) {
      this.model.discardTelemetry();
      return;
    }
    for (let c = 0; c < this.#config.channelCount; c++) this.#sendTelemetry(c, true);
  }

  // ---- fault injection entry points ----

  /** Electrode lifted: impedance ≥ 1 MΩ. A running channel faults at once (the firmware sees the open load). */
  electrodeOff(channel: number): void {
    this.model.advanceTo(this.#now());
    this.model.setLoad(channel, ELECTRODE_OFF_LOAD);
    if (!this.#frozen && this.model.stateAt(channel, this.#now()) !== 'idle') {
      this.#latch('electrodeOff', channel, this.#measureImpedanceOhm(channel));
    }
  }

  electrodeOn(channel: number): void {
    this.model.advanceTo(this.#now());
    this.model.setLoad(channel, this.#config.load);
  }

  /** Brown-out: output 0, programs and HELLO lost, uptime restarts, FAULT reset latched and sent. */
  brownOut(): void {
    const now = this.#now();
    this.model.advanceTo(now);
    this.model.cutAll();
    this.model.discardTelemetry();
    if (this.#hardwareCut !== null) this.#config.clock.clearTimeout(this.#hardwareCut);
    this.#hardwareCut = null;
    this.#frozen = false;
    this.#watchdog.disarm();
    this.#receiver.reset();
    this.#helloDone = false;
    this.#version = 0;
    this.#programs.fill(null);
    this.#seq = 1;
    this.#bootAtMs = now;
    this.#fault = 'reset';
    this.model.syncStates(now);
    this.#send({ type: 'fault', seq: this.#nextSeq(), code: 'reset', channel: ALL_CHANNELS, detail: 0 });
    this.#send(this.#status(0));
  }

  /**
   * The firmware hangs: it stops reading, answering and sending. The output stage holds its last level
   * until the independent hardware watchdog cuts it, `watchdogMs` later.
   */
  freeze(): void {
    if (this.#frozen) return;
    const now = this.#now();
    this.model.advanceTo(now);
    this.model.freezeAll(now);
    this.model.discardTelemetry();
    this.#watchdog.disarm();
    this.#frozen = true;
    this.#hardwareCut = this.#config.clock.setTimeout(() => {
      this.#hardwareCut = null;
      this.model.advanceTo(this.#now());
      this.model.cutAll();
      this.stats.watchdogTrips++;
    }, this.#config.watchdogMs);
  }

  /** Comes back as after a brown-out (the hardware watchdog reset the MCU). */
  unfreeze(): void {
    if (this.#frozen) this.brownOut();
  }

  dispose(): void {
    this.#watchdog.disarm();
    if (this.#hardwareCut !== null) this.#config.clock.clearTimeout(this.#hardwareCut);
    this.#hardwareCut = null;
  }

  // ---- receive path ----

  #now(): number {
    return this.#config.clock.now();
  }

  #onRejected(r: RejectedFrame): void {
    this.#nack(r.seq, r.type, r.code, r.field, r.value, r.bound);
  }

  #onMessage(m: Message): void {
    this.stats.framesIn++;
    this.#io.frame('in', m);
    if (TYPE_CODES[m.type] >= 0x80) {
      // A board→host message sent to the board: decodable, but not a request.
      this.#nack(m.seq, m.type, 'badEnum', 'none', TYPE_CODES[m.type], 0);
      return;
    }
    const request = m as HostMessage;
    const now = this.#now();
    // Samples before this frame are computed with the plan as it was.
    this.model.advanceTo(now);
    if (this.#helloDone) this.#feedWatchdog();
    if (!this.#helloDone && request.type !== 'hello' && request.type !== 'estop') {
      this.#nack(request.seq, request.type, 'helloRequired', 'none', 0, 0);
      return;
    }
    this.#handle(request, now);
  }

  #handle(m: HostMessage, now: number): void {
    const count = this.#config.channelCount;
    switch (m.type) {
      case 'hello': {
        const versions = this.#config.protocolVersions;
        let chosen = 0;
        for (const v of versions) if (v >= m.minVersion && v <= m.maxVersion && v > chosen) chosen = v;
        if (chosen === 0) {
          const lo = Math.min(...versions);
          const hi = Math.max(...versions);
          if (m.maxVersion < lo) this.#nack(m.seq, m.type, 'unsupportedVersion', 'version', m.maxVersion, lo);
          else this.#nack(m.seq, m.type, 'unsupportedVersion', 'version', m.minVersion, hi);
          return;
        }
        this.#helloDone = true;
        this.#version = chosen;
        this.#feedWatchdog();
        this.#send(this.#info(m.seq));
        return;
      }
      case 'getInfo':
        this.#send(this.#info(m.seq));
        return;
      case 'getStatus':
        this.#send(this.#status(m.seq));
        return;
      case 'heartbeat':
        this.#ack(m.seq, m.type);
        return;
      case 'setProgram': {
        const p = m.program;
        if (p.channel >= count) return this.#nack(m.seq, m.type, 'badChannel', 'channel', p.channel, count - 1);
        if (this.model.stateAt(p.channel, now) !== 'idle') return this.#nack(m.seq, m.type, 'busy', 'channel', p.channel, 0);
        const failure = this.#config.testOnlyBreakages.acceptsEveryProgram ? null : checkProgramOnBoard(p, this.#config.caps);
        if (failure) return this.#nack(m.seq, m.type, failure.code, failure.field, failure.value, failure.bound);
        const stored = { ...p };
        this.#programs[p.channel] = stored;
        this.#ack(m.seq, m.type, { kind: 'program', program: { ...stored } });
        return;
      }
      case 'start': {
        const c = m.channel;
        if (c >= count) return this.#nack(m.seq, m.type, 'badChannel', 'channel', c, count - 1);
        if (this.#fault !== null) return this.#nack(m.seq, m.type, 'faultLatched', 'none', FAULT_CODES[this.#fault], 0);
        if (this.model.stateAt(c, now) !== 'idle') return this.#nack(m.seq, m.type, 'busy', 'channel', c, 0);
        const program = this.#programs[c];
        if (!program) return this.#nack(m.seq, m.type, 'noProgram', 'channel', c, 0);
        const impedanceOhm = this.#measureImpedanceOhm(c);
        if (impedanceOhm >= IMPEDANCE_LIMIT_OHM) return this.#nack(m.seq, m.type, 'impedanceFail', 'none', impedanceOhm, IMPEDANCE_LIMIT_OHM);
        this.model.start(c, program, now, this.#slewUaPerS);
        this.#ack(m.seq, m.type);
        this.#statusIfChanged(false);
        return;
      }
      case 'stop': {
        const c = m.channel;
        if (c !== ALL_CHANNELS && c >= count) return this.#nack(m.seq, m.type, 'badChannel', 'channel', c, count - 1);
        for (let i = 0; i < count; i++) if (c === ALL_CHANNELS || c === i) this.model.stop(i, now);
        this.#ack(m.seq, m.type);
        this.#statusIfChanged(false);
        return;
      }
      case 'setAmplitude': {
        const c = m.channel;
        if (c >= count) return this.#nack(m.seq, m.type, 'badChannel', 'channel', c, count - 1);
        const state = this.model.stateAt(c, now);
        const program = this.model.activeProgram(c);
        if ((state !== 'ramping-up' && state !== 'holding') || !program) return this.#nack(m.seq, m.type, 'badState', 'channel', c, 0);
        const failure = this.#config.testOnlyBreakages.acceptsEveryProgram ? null : checkAmplitudeOnBoard(program, m.amplitudeUa, this.#config.caps);
        if (failure) return this.#nack(m.seq, m.type, failure.code, failure.field, failure.value, failure.bound);
        this.model.setTarget(c, m.amplitudeUa, now, this.#slewUaPerS);
        this.#ack(m.seq, m.type, { kind: 'amplitude', channel: c, amplitudeUa: m.amplitudeUa });
        this.#statusIfChanged(false);
        return;
      }
      case 'estop':
        this.model.cutAll();
        this.#fault = 'estop';
        this.#ack(m.seq, m.type);
        this.#send({ type: 'fault', seq: this.#nextSeq(), code: 'estop', channel: ALL_CHANNELS, detail: 0 });
        this.#statusIfChanged(true);
        return;
      case 'clearFault':
        this.#fault = null;
        this.#ack(m.seq, m.type);
        this.#statusIfChanged(true);
        return;
      case 'measureImpedance': {
        const c = m.channel;
        if (c >= count) return this.#nack(m.seq, m.type, 'badChannel', 'channel', c, count - 1);
        const impedanceOhm = this.#measureImpedanceOhm(c);
        this.#send({ type: 'impedance', seq: this.#nextSeq(), replyTo: m.seq, channel: c, impedanceOhm, ok: impedanceOhm < IMPEDANCE_LIMIT_OHM });
        return;
      }
      default: {
        const unreachable: never = m;
        throw new Error(`unhandled message ${String((unreachable as Message).type)}`);
      }
    }
  }

  #feedWatchdog(): void {
    if (!this.#config.testOnlyBreakages.watchdogDisabled) this.#watchdog.feed();
  }

  // ---- faults ----

  #latch(code: FaultCode, channel: number, detail: number): void {
    this.model.advanceTo(this.#now());
    this.model.cutAll();
    this.#fault = code;
    this.#send({ type: 'fault', seq: this.#nextSeq(), code, channel, detail: u32(detail) });
    this.#statusIfChanged(true);
  }

  #measureImpedanceOhm(channel: number): number {
    const z = effectiveImpedanceOhm(this.model.load(channel), IMPEDANCE_TEST_PULSE_US);
    return u32(z * (1 + IMPEDANCE_NOISE * (2 * this.#impedanceRng.next() - 1)));
  }

  // ---- send path ----

  #nextSeq(): number {
    const s = this.#seq;
    this.#seq = s >= 0xffff ? 1 : s + 1;
    return s;
  }

  #send(message: BoardMessage): void {
    if (this.#frozen) return;
    const bytes = encodeFrame(message);
    this.stats.framesOut++;
    this.#io.frame('out', message);
    this.#io.transmit(bytes);
  }

  #ack(replyTo: number, ackedType: MessageType, echo: Extract<BoardMessage, { type: 'ack' }>['echo'] = { kind: 'none' }): void {
    this.#send({ type: 'ack', seq: this.#nextSeq(), replyTo, ackedType, echo });
  }

  #nack(replyTo: number, rejectedType: MessageType, code: NackCode, field: FieldName, value: number, bound: number): void {
    this.stats.nacksSent++;
    this.#send({ type: 'nack', seq: this.#nextSeq(), replyTo, rejectedType, code, field, value: u32(value), bound: u32(bound) });
  }

  #info(replyTo: number): InfoMessage {
    const c = this.#config;
    return {
      type: 'info',
      seq: this.#nextSeq(),
      replyTo,
      protocolVersion: this.#version || Math.max(...c.protocolVersions),
      firmwareMajor: c.firmwareVersion[0],
      firmwareMinor: c.firmwareVersion[1],
      firmwarePatch: c.firmwareVersion[2],
      watchdogMs: c.watchdogMs,
      telemetryRateHz: c.telemetryRateHz,
      caps: { ...c.caps },
      serialNumber: c.serialNumber,
    };
  }

  #status(replyTo: number, now = this.#now()): StatusMessage {
    const channels: ChannelStatus[] = [];
    for (let i = 0; i < this.#config.channelCount; i++) channels.push(this.model.status(i, now));
    return { type: 'status', seq: this.#nextSeq(), replyTo, uptimeMs: u32(Math.floor(now - this.#bootAtMs)), fault: this.#fault, helloDone: this.#helloDone, channels };
  }

  /** Unsolicited STATUS when a channel changed state since the last report (or `force`, after a fault change). */
  #statusIfChanged(force: boolean, atMs = this.#now()): void {
    const changed = this.model.syncStates(atMs);
    if (changed || force) this.#send(this.#status(0, atMs));
  }

  #sendTelemetry(channel: number, endOfBatch: boolean): void {
    const batch = this.model.takeTelemetry(channel, endOfBatch, !this.#io.framesObserved());
    if (!batch || this.#frozen) return;
    const firstSampleMs = Math.max(0, Math.floor(batch.firstSampleAtMs - this.#bootAtMs + 1e-6));
    this.#send({ type: 'telemetry', seq: this.#nextSeq(), channel, firstSampleMs: u32(firstSampleMs), sampleIntervalUs: this.model.sampleIntervalUs, samples: batch.samples });
  }
}
