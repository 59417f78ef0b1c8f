/**
 * StimulatorClient: drives one board over any Transport (Web Serial, WebUSB, simulated) and implements
 * StimulatorDevice (types.ts). Safety rules it enforces, each proved by a test in tests/device or
 * tests/integration:
 * - nothing outside the effective limits is written (validation before encoding; ProgramRejectedError);
 * - ACK echoes of SET_PROGRAM / SET_AMPLITUDE are compared field by field; a mismatch is a fault (ESTOP);
 * - ESTOP jumps every queue, cancels queued commands that could undo it, and is re-sent until ACKed;
 * - only idempotent requests are retried; SET_PROGRAM, START, STOP and SET_AMPLITUDE never are;
 * - heartbeats every heartbeatMs while connected; a silent board, a reset board, a board fault or a lost
 *   link each end in a fault event and a state that never resumes stimulation by itself.
 * How requests travel (seq, queue, timeouts, retries, ESTOP priority) is RequestPipe's job; this class
 * owns the connection: handshake, state machine, faults, channel book, liveness.
 */
import {
  ALL_CHANNELS,
  ProgramRejectedError,
  validateProgram,
  type AckEcho,
  type AckMessage,
  type DroppedFrameInfo,
  type HostMessage,
  type ImpedanceMessage,
  type InfoMessage,
  type Program,
  validateAmplitudeChange,
  type StatusMessage,
  type ValidationContext,
  type ValidationResult,
} from '../../../firmware-protocol/src/index.ts';
import { systemClock, type Clock } from '../clock.ts';
import { asError } from '../thrown.ts';
import type { PortIdentity, Transport } from '../transport/Transport.ts';
import { BoardReports } from './BoardReports.ts';
import { ChannelBook } from './ChannelBook.ts';
import { assertWithinCompliance } from './compliance.ts';
import { ConnectionStateMachine } from './ConnectionStateMachine.ts';
import { Emitter } from './Emitter.ts';
import {
  AckMismatchError,
  ConnectionLostError,
  InvalidArgumentError,
  InvalidStateError,
  NackError,
  NotConnectedError,
  RequestTimeoutError,
} from './errors.ts';
import type { StimulatorClientOptions } from './clientOptions.ts';
import { hello, versionDropError } from './handshake.ts';
import { Connection, releaseWriter, settleWaiters, type LinkParts } from './Connection.ts';
import { clockHeartbeatDriver, type HeartbeatDriver } from './HeartbeatDriver.ts';
import { amplitudeEchoDiff, programEchoDiff, type ReplyMessage } from './replies.ts';
import { RequestPipe } from './RequestPipe.ts';
import type { ConnectionState, DeviceEvents, DeviceFault, LinkHealth, StimulatorDevice } from './types.ts';
import { ChannelLimits, type LimitsSettings } from './ChannelLimits.ts';
import type { DensityOverride } from './densityOverride.ts';

// The options live beside the client; exported from here too, where callers look for them.
export type { StimulatorClientOptions } from './clientOptions.ts';

export class StimulatorClient implements StimulatorDevice {
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #heartbeatMs: number;
  readonly #silentAfterMs: number;
  readonly #pollEveryTicks: number;
  readonly #driver: HeartbeatDriver;
  readonly #events = new Emitter<DeviceEvents>();
  readonly #machine = new ConnectionStateMachine((state, previous) => this.#events.emit('state', state, previous));
  readonly #pipe: RequestPipe;
  readonly #channels = new ChannelBook();
  readonly #limits = new ChannelLimits();
  readonly #reports: BoardReports;

  /** The current (or, after it ended, the last) connection: everything that a new connect() starts afresh. */
  #conn = new Connection();

  constructor(transport: Transport, options: StimulatorClientOptions = {}) {
    this.#transport = transport;
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = options.requestTimeoutMs ?? 250;
    this.#heartbeatMs = options.heartbeatMs ?? 100;
    this.#silentAfterMs = options.silentAfterMs ?? 3 * this.#heartbeatMs + this.#timeoutMs;
    const pollMs = options.statusPollMs ?? 1000;
    this.#pollEveryTicks = pollMs > 0 ? Math.max(1, Math.round(pollMs / this.#heartbeatMs)) : 0;
    this.#driver = options.heartbeatDriver ?? clockHeartbeatDriver(this.#clock);
    this.#limits.set({
      ...(options.labCap ? { labCap: options.labCap } : {}),
      ...(options.electrodeAreasCm2 ? { electrodeAreasCm2: options.electrodeAreasCm2 } : {}),
    });
    this.#pipe = new RequestPipe(
      this.#clock,
      { timeoutMs: this.#timeoutMs, retries: options.retries ?? 2, firstSeq: options.firstSeq ?? 1, validation: (channel) => this.validationContextFor(channel), activeProgram: (channel) => this.verifiedProgram(channel) },
      {
        command: (event) => this.#events.emit('command', event),
        ack: (request, ack) => this.#onAck(request, ack),
        helloRequired: (type) => {
          if (this.#conn.handshakeDone) this.#reports.boardReset(`NACK helloRequired to ${type}`);
        },
      },
    );
    this.#reports = new BoardReports({
      connection: () => this.#conn,
      clock: this.#clock,
      channels: this.#channels,
      events: this.#events,
      pipe: this.#pipe,
      machine: this.#machine,
      estop: () => this.#sendEstop(),
    });
  }

  // ---------------------------------------------------------------- state and context

  get state(): ConnectionState {
    return this.#machine.state;
  }
  get info(): InfoMessage | null {
    return this.#conn.info;
  }
  get identity(): PortIdentity {
    return this.#transport.identity;
  }
  /** The latched fault (board or client), or null. Cleared only by clearFault() or a new connect(). */
  get fault(): DeviceFault | null {
    return this.#conn.fault;
  }
  /** Recoverable line errors (framing, parity, break, overrun) reported by the transport this connection. */
  get lineErrors(): number {
    return this.#conn.lineErrors;
  }
  get linkHealth(): LinkHealth {
    return {
      drops: { ...this.#conn.decoder.drops },
      heartbeatsSent: this.#pipe.heartbeatsSent,
      heartbeatAcks: this.#pipe.heartbeatAcks,
      lastRxMs: this.#conn.lastRxMs,
      lastRttMs: this.#pipe.lastRttMs,
    };
  }
  /** Board caps and lab cap (the same on every channel; see validationContextFor). */
  get validationContext(): ValidationContext {
    return this.#limits.shared(this.#conn.info?.caps);
  }
  validationContextFor(channel: number): ValidationContext {
    return this.#limits.contextFor(this.#conn.info?.caps, channel);
  }
  /** Replace the lab cap and electrode areas (a key left out removes that setting). */
  setLimitsContext(context: LimitsSettings): void {
    this.#limits.set(context);
  }
  setDensityOverride(channel: number, override: DensityOverride | null): void {
    this.#limits.setDensityOverride(channel, override);
  }
  densityOverride(channel: number): DensityOverride | null {
    return this.#limits.densityOverride(channel);
  }
  validate(program: Program): ValidationResult {
    const channel = program.channel;
    return this.#limits.requireElectrode(channel, validateProgram(program, this.validationContextFor(channel)));
  }
  /** The program the board verifiably holds on `channel` (ACK echo matched), or null. */
  verifiedProgram(channel: number): Program | null {
    return this.#channels.program(channel);
  }
  on<E extends keyof DeviceEvents>(event: E, listener: DeviceEvents[E]): () => void {
    return this.#events.on(event, listener);
  }

  // ---------------------------------------------------------------- connect / disconnect

  async connect(): Promise<InfoMessage> {
    const from = this.state;
    if (from !== 'disconnected' && from !== 'lost') throw new InvalidStateError('connect()', 'state disconnected or lost', from);
    this.#conn.retired = true;
    const conn = new Connection((d) => this.#onDrop(d));
    this.#conn = conn;
    this.#channels.clear();
    this.#machine.send('connect');
    try {
      await this.#transport.open();
    } catch (error) {
      settleWaiters(conn.preOpenEstops, asError(error));
      if (this.#isCurrent(conn)) this.#machine.send('handshake-failed');
      throw error;
    }
    if (!this.#isCurrent(conn) || this.state !== 'connecting') {
      await this.#transport.close();
      const error = new NotConnectedError('connect()', this.state);
      settleWaiters(conn.preOpenEstops, error);
      throw error;
    }
    conn.attach(this.#transport, this.#pipe, this.#clock.now(), (m) => this.#reports.message(m), (reason) => this.#linkLost(conn, reason));
    // ESTOPs asked for while the port was opening go out before anything else (the board honours ESTOP before HELLO).
    if (conn.preOpenEstops.length > 0) {
      const waiters = conn.preOpenEstops.splice(0, conn.preOpenEstops.length);
      this.#sendEstop().then(
        () => settleWaiters(waiters, null),
        (e: Error) => settleWaiters(waiters, e),
      );
    }
    try {
      const info = await this.#handshake();
      this.#startHeartbeat();
      this.#reports.status((await this.#request({ type: 'getStatus', seq: this.#nextSeq() })) as StatusMessage);
      this.#machine.send('handshake-ok');
      this.#reports.reconcile();
      if (this.#channels.anyActive()) {
        // Output this client did not start (an orphan of an earlier session) is stopped, never adopted.
        void this.#sendEstop().catch(() => {});
      }
      return info;
    } catch (error) {
      const stateNow: ConnectionState = this.#machine.state; // (re-read: it may have moved while awaiting)
      if (stateNow === 'lost' || !this.#isCurrent(conn)) throw error;
      await this.#detach(conn, asError(error));
      this.#machine.send('handshake-failed');
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    const state = this.state;
    if (state === 'disconnected') return;
    const conn = this.#conn;
    if (state === 'lost' || !conn.linkOpen) {
      conn.retired = true;
      await this.#detach(conn, new NotConnectedError('request', 'disconnected'));
      this.#machine.send('closed');
      return;
    }
    if (state !== 'connecting' && this.#channels.anyActive()) {
      // Ramped STOP first; ESTOP if it fails or the ramp does not finish in time.
      try {
        const waitMs = this.#channels.longestActiveRampDownMs() + 2 * this.#heartbeatMs + 2 * this.#timeoutMs;
        await this.stop(ALL_CHANNELS);
        await this.#waitIdle(waitMs);
      } catch {
        // fall through to ESTOP
      }
      if (this.#channels.anyActive() && this.#conn.linkOpen) await this.#sendEstop().catch(() => {});
    }
    conn.retired = true;
    await this.#detach(conn, new NotConnectedError('request', 'disconnected'));
    this.#machine.send('closed');
  }

  // ---------------------------------------------------------------- commands

  async setProgram(program: Program): Promise<Program> {
    this.#requireLink('setProgram()');
    // Snapshot: a caller mutating its object later cannot change what is compared with the echo.
    const sent: Program = { ...program };
    const result = this.validate(sent);
    if (!result.ok) throw new ProgramRejectedError(result.violations);
    this.#assertCompliance(sent.channel, sent.amplitudeUa);
    let ack: AckMessage;
    try {
      ack = (await this.#request({ type: 'setProgram', seq: this.#nextSeq(), program: sent })) as AckMessage;
    } catch (error) {
      // Unknown outcome: the board may or may not hold the new program, so the client trusts neither.
      if (!(error instanceof NackError)) this.#channels.forgetProgram(sent.channel);
      throw error;
    }
    const diff = programEchoDiff(sent, ack.echo);
    if (diff.length > 0) this.#ackMismatch(sent, ack.echo, diff, sent.channel);
    this.#channels.setProgram(sent);
    return { ...sent };
  }

  async start(channel: number): Promise<void> {
    this.#requireLink('start()');
    this.#checkChannel(channel, false);
    if (this.#conn.fault) throw new InvalidStateError('start()', 'no latched fault (call clearFault() first)', `fault ${this.#conn.fault.code}`);
    const program = this.#channels.program(channel);
    if (!program) throw new InvalidStateError('start()', `a verified program on channel ${channel} (call setProgram() first)`, 'none');
    // The load may have been measured after the program was set: check again before any output.
    this.#assertCompliance(channel, program.amplitudeUa);
    await this.#request({ type: 'start', seq: this.#nextSeq(), channel });
  }

  async stop(channel: number): Promise<void> {
    this.#requireLink('stop()');
    this.#checkChannel(channel, true);
    try {
      await this.#request({ type: 'stop', seq: this.#nextSeq(), channel });
    } catch (error) {
      // No answer: the STOP may never have arrived, so escalate to ESTOP (idempotent, re-sent until ACKed).
      if (error instanceof RequestTimeoutError && this.#conn.linkOpen) await this.#sendEstop().catch(() => {});
      throw error;
    }
  }

  async setAmplitude(channel: number, amplitudeUa: number): Promise<number> {
    this.#requireLink('setAmplitude()');
    this.#checkChannel(channel, false);
    if (this.#conn.fault) throw new InvalidStateError('setAmplitude()', 'no latched fault', `fault ${this.#conn.fault.code}`);
    const program = this.#channels.program(channel);
    if (!program) throw new InvalidStateError('setAmplitude()', `a verified program on channel ${channel}`, 'none');
    const result = this.#limits.requireElectrode(channel, validateAmplitudeChange(program, amplitudeUa, this.validationContextFor(channel)));
    if (!result.ok) throw new ProgramRejectedError(result.violations);
    // Only a raise is checked against the load: a lowering is never refused, whatever the load.
    if (amplitudeUa > this.#channels.target(channel)) this.#assertCompliance(channel, amplitudeUa);
    const ack = (await this.#request({ type: 'setAmplitude', seq: this.#nextSeq(), channel, amplitudeUa })) as AckMessage;
    const diff = amplitudeEchoDiff({ channel, amplitudeUa }, ack.echo);
    if (diff.length > 0) this.#ackMismatch({ channel, amplitudeUa }, ack.echo, diff, channel);
    this.#channels.setTarget(channel, amplitudeUa);
    return amplitudeUa;
  }

  estop(): Promise<void> {
    const state = this.state;
    if (state === 'disconnected') return Promise.reject(new NotConnectedError('estop()', state));
    if (state === 'lost') return Promise.reject(new ConnectionLostError(`ESTOP cannot be sent; the board's watchdog (${this.#conn.info?.watchdogMs ?? 'its period'} ms) stops its output`));
    if (!this.#pipe.attached) return new Promise((resolve, reject) => this.#conn.preOpenEstops.push({ resolve, reject }));
    return this.#sendEstop();
  }

  async clearFault(): Promise<void> {
    this.#requireLink('clearFault()');
    if (this.#conn.needsHello) await this.#handshake();
    try {
      await this.#request({ type: 'clearFault', seq: this.#nextSeq() });
    } catch (error) {
      if (!(error instanceof NackError && error.nack.code === 'helloRequired')) throw error;
      await this.#handshake();
      await this.#request({ type: 'clearFault', seq: this.#nextSeq() });
    }
    const status = (await this.#request({ type: 'getStatus', seq: this.#nextSeq() })) as StatusMessage;
    this.#reports.status(status);
    if (status.fault !== null) throw new InvalidStateError('clearFault()', 'the board fault cleared', `the board still reports ${status.fault}`);
    this.#conn.fault = null;
    this.#conn.reportedBoardFault = null;
    this.#conn.silentReported = false;
    this.#reports.reconcile();
  }

  async measureImpedance(channel: number): Promise<{ impedanceOhm: number; ok: boolean }> {
    this.#requireLink('measureImpedance()');
    this.#checkChannel(channel, false);
    const reply = (await this.#request({ type: 'measureImpedance', seq: this.#nextSeq(), channel })) as ImpedanceMessage;
    this.#channels.setLoad(channel, reply.impedanceOhm);
    return { impedanceOhm: reply.impedanceOhm, ok: reply.ok };
  }

  /** GET_INFO: the board's INFO again (not part of StimulatorDevice; the handshake already read it). */
  async getInfo(): Promise<InfoMessage> {
    this.#requireLink('getInfo()');
    const info = (await this.#request({ type: 'getInfo', seq: this.#nextSeq() })) as InfoMessage;
    this.#conn.info = info;
    return info;
  }

  async getStatus(): Promise<StatusMessage> {
    this.#requireLink('getStatus()');
    return (await this.#request({ type: 'getStatus', seq: this.#nextSeq() })) as StatusMessage;
  }

  // ---------------------------------------------------------------- link plumbing

  /** Peak voltage at the last measured load within the board's compliance, or ComplianceExceededError. */
  #assertCompliance(channel: number, amplitudeUa: number): void {
    assertWithinCompliance(channel, amplitudeUa, this.#channels.load(channel), this.#conn.info?.caps.complianceMv);
  }

  #isCurrent(conn: Connection): boolean {
    return conn === this.#conn && !conn.retired;
  }

  /** Tear down this connection's plumbing and close the transport. Idempotent. */
  async #detach(conn: Connection, error: Error): Promise<void> {
    const { reader, writer } = this.#releaseLink(conn, error);
    await reader?.stop();
    releaseWriter(writer);
    await this.#transport.close();
  }

  /** Stop heartbeats, fail everything in flight, forget what the board holds. */
  #releaseLink(conn: Connection, error: Error): LinkParts {
    const parts = conn.takeLink();
    this.#driver.stop();
    this.#pipe.detach(error);
    settleWaiters(conn.preOpenEstops, error);
    this.#channels.clear();
    conn.resolveIdleWaiters();
    return parts;
  }

  #linkLost(conn: Connection, reason: string): void {
    if (!this.#isCurrent(conn) || !conn.linkOpen) return;
    const error = new ConnectionLostError(reason);
    releaseWriter(this.#releaseLink(conn, error).writer);
    void this.#transport.close();
    this.#machine.send('link-lost');
    this.#reports.raiseFault({ source: 'client', code: 'connection-lost', channel: null, message: `${error.message}` });
  }

  #requireLink(operation: string): void {
    const state = this.state;
    if (state === 'lost') throw new ConnectionLostError(`${operation} needs a connection; call connect() again`);
    if (!this.#conn.linkOpen || !this.#conn.handshakeDone) throw new NotConnectedError(operation, state);
  }

  #checkChannel(channel: number, allowAll: boolean): void {
    if (allowAll && channel === ALL_CHANNELS) return;
    const count = this.#conn.info?.caps.channelCount ?? 0;
    if (!Number.isInteger(channel) || channel < 0 || channel >= count) {
      throw new InvalidArgumentError('channel', channel, `an integer 0–${count - 1}${allowAll ? ' or ALL_CHANNELS (255)' : ''} (the board has ${count} channel(s))`);
    }
  }

  #nextSeq(): number {
    return this.#pipe.nextSeq();
  }

  // ---------------------------------------------------------------- handshake

  async #handshake(): Promise<InfoMessage> {
    const info = await hello((message, flags) => this.#request(message, flags), this.#nextSeq());
    this.#conn.info = info;
    this.#conn.handshakeDone = true;
    this.#conn.needsHello = false;
    return info;
  }

  #onDrop(drop: DroppedFrameInfo): void {
    const error = versionDropError(drop);
    if (error) this.#pipe.failHello(error);
  }

  // ---------------------------------------------------------------- requests

  #request(message: HostMessage, flags: { hello?: boolean } = {}): Promise<ReplyMessage> {
    return this.#pipe.request(message, flags);
  }

  #onAck(request: HostMessage, _ack: AckMessage): void {
    switch (request.type) {
      case 'start':
        this.#channels.setState(request.channel, 'ramping-up');
        this.#reports.reconcile();
        break;
      case 'estop':
        this.#channels.allIdle(); // ESTOP zeroes every channel at once (PROTOCOL.md)
        this.#reports.reconcile();
        break;
      default:
        break;
    }
  }

  // ---------------------------------------------------------------- ESTOP

  #sendEstop(): Promise<void> {
    return this.#pipe.estop();
  }

  #ackMismatch(sent: Program | { channel: number; amplitudeUa: number }, echo: AckEcho, diff: string[], channel: number): never {
    this.#channels.forgetProgram(channel);
    void this.#sendEstop().catch(() => {});
    this.#reports.raiseFault({ source: 'client', code: 'ack-mismatch', channel, message: `ACK echo differs from what was sent: ${diff.join('; ')}` });
    throw new AckMismatchError(sent, echo, diff);
  }

  #waitIdle(timeoutMs: number): Promise<void> {
    if (!this.#channels.anyActive()) return Promise.resolve();
    return this.#conn.waitIdle(this.#clock, timeoutMs);
  }

  // ---------------------------------------------------------------- heartbeat

  #startHeartbeat(): void {
    this.#driver.start(() => this.#tick(), this.#heartbeatMs);
  }

  #tick(): void {
    if (!this.#conn.linkOpen) return;
    const now = this.#clock.now();
    const silentMs = now - (this.#conn.lastRxMs ?? this.#conn.connectedAtMs);
    if (silentMs > this.#silentAfterMs && !this.#conn.silentReported) {
      this.#conn.silentReported = true;
      void this.#sendEstop().catch(() => {});
      this.#reports.raiseFault({ source: 'client', code: 'board-silent', channel: null, message: `no valid frame from the board for ${silentMs} ms (limit ${this.#silentAfterMs} ms)` });
    }
    this.#pipe.expireHeartbeats(now);
    this.#pipe.sendHeartbeat();
    this.#conn.ticks++;
    if (this.#pollEveryTicks > 0 && this.#conn.ticks % this.#pollEveryTicks === 0) {
      this.#request({ type: 'getStatus', seq: this.#nextSeq() }).catch(ignore);
    }
  }
}

function ignore(): void {}
