/**
 * One session's run, behind SessionEngine's user actions: the state, the one path every record write
 * takes (write-ahead appends, logged events, failures reported to the run), the commands that raise or
 * reduce output, the board's reports and faults turned into phases and record events, the engine clock
 * (remaining time, electrode-site reminder, backstop) and the ending. SessionEngine (SessionEngine.ts)
 * documents the safety rules both keep; members without # are the ones its user actions use.
 */
import {
  ALL_CHANNELS,
  type ChannelStatus,
  type HostMessage,
  type Program,
  type StatusMessage,
  type TelemetryMessage,
} from '../../../firmware-protocol/src/index.ts';
import type { Clock, TimerId } from '../clock.ts';
import { asError } from '../thrown.ts';
import type { CommandEvent, ConnectionState, DeviceFault, StimulatorDevice } from '../device/types.ts';
import type { SessionRecordPort } from './recordPorts.ts';
import type { CommandName, ProgramLimitsLog, RecordEventBody, SessionOutcome, SessionRecord, SessionState, SoftwareIdentity, StopReason } from './recordTypes.ts';
import { SessionRecorder } from './SessionRecorder.ts';
import { errorInfo, replyEventBody } from './deviceEventLog.ts';
import { newPreemption, PREEMPTED, Superseded, type Preemption } from './preemption.ts';
import { DAY_MS, DEFAULT_DAILY_CAP_MS } from './dailyUsage.ts';
import { SessionStateError } from './errors.ts';
import type { SessionPlan } from './SessionPlan.ts';
import type { SessionEngineOptions, SessionSnapshot } from './sessionEngineTypes.ts';
import { programLimitsLog, releaseSessionLimits } from './sessionLimits.ts';
import { backstopStep, siteRemindersDue } from './runClock.ts';

/** Move the electrodes after 4 h on one site (the Quell manual's long-term-wear alert; skin irritation under gel pads). */
export const DEFAULT_SITE_REMINDER_MS = 4 * 60 * 60 * 1000;

export type Listener = (snapshot: SessionSnapshot) => void;

export class SessionRun {
  readonly device: StimulatorDevice;
  readonly store: SessionRecordPort;
  readonly clock: Clock;
  readonly dailyCapMs: number;
  readonly dailyWindowMs: number;
  readonly #siteReminderMs: number;
  readonly tickMs: number;
  readonly #backstopGraceMs: number;
  readonly #trailingTelemetryMs: number;
  readonly summaryFlushSeconds: number;
  readonly newId: () => string;
  readonly software: SoftwareIdentity | null;
  siteBaseMs: number;

  state: SessionState = 'idle';
  plan: SessionPlan | null = null;
  recorder: SessionRecorder | null = null;
  listeners = new Set<Listener>();
  unsubscribe: (() => void)[] = [];
  tick: TimerId | null = null;

  // Time accounting (monotonic ms).
  consumedMs = 0;
  runStartMs: number | null = null;
  #runSeenActive = false;
  #runProgram: Program | null = null;
  #backstopStopAtMs: number | null = null;
  capBudgetMs = 0;
  capTruncated = false;

  levelUa = 0;
  /** Highest level a manual session may be moved to: the amplitude ceiling in force at its start, µA. */
  levelCeilingUa = 0;
  targetUa: number | null = null;
  titrating = false;
  lastBoardState: ChannelStatus['state'] | null = null;
  stopReason: StopReason | null = null;
  pauseRequested = false;
  /** start() is under way (before #plan is set): a stop or ESTOP now must still cancel it. */
  starting = false;
  /** Set BEFORE the ESTOP call, so the board's own idle report is never read as a normal end. */
  estopRequested = false;
  ended = false;
  /** A record write failed: the session is stopping (ramped) and ends as `fault`. */
  #recordFailure: Error | null = null;
  #recordFailureTimer: TimerId | null = null;
  /** A STOP on this channel that the engine did not send (e.g. the app disconnecting). */
  #outsideStop = false;
  /** Fired (and replaced) by every reducing command: raises still waiting on storage give up. */
  #preemption: Preemption = newPreemption();
  /** Bumped with each preemption: a raise already sent does not overwrite a lower level set after it. */
  preemptions = 0;
  outcome: SessionOutcome | null = null;
  message: string | null = null;
  reminders = 0;
  moveElectrodesDue = false;
  #actions: Promise<void> = Promise.resolve();
  readonly finished: Promise<SessionRecord>;
  #resolveFinished!: (record: SessionRecord) => void;
  #rejectFinished!: (error: Error) => void;

  constructor(options: SessionEngineOptions) {
    this.device = options.device;
    this.store = options.store;
    this.clock = options.clock;
    this.dailyCapMs = options.dailyCapMs ?? DEFAULT_DAILY_CAP_MS;
    this.dailyWindowMs = options.dailyWindowMs ?? DAY_MS;
    this.#siteReminderMs = options.siteReminderMs ?? DEFAULT_SITE_REMINDER_MS;
    this.siteBaseMs = options.siteMsAtStart ?? 0;
    this.tickMs = options.tickMs ?? 1000;
    this.#backstopGraceMs = options.backstopGraceMs ?? 3000;
    this.#trailingTelemetryMs = options.trailingTelemetryMs ?? 250;
    this.summaryFlushSeconds = options.summaryFlushSeconds ?? 10;
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.software = options.software ?? null;
    this.finished = new Promise<SessionRecord>((resolve, reject) => {
      this.#resolveFinished = resolve;
      this.#rejectFinished = reject;
    });
    // A session that ends with a closing failure must not become an unhandled rejection by itself.
    this.finished.catch(() => {});
  }

  // ------------------------------------------------------------------ observation

  get snapshot(): SessionSnapshot {
    const plan = this.plan;
    const elapsed = this.elapsedMs();
    return {
      state: this.state,
      recordId: this.recorder?.recordId ?? null,
      channel: plan?.program.channel ?? null,
      elapsedMs: elapsed,
      remainingMs: plan ? Math.max(0, plan.program.durationMs - elapsed) : 0,
      levelUa: this.levelUa,
      targetUa: this.targetUa,
      titrating: this.titrating,
      outcome: this.outcome,
      stopReason: this.stopReason,
      message: this.message,
      dailyBudgetMs: plan ? this.capBudgetMs : null,
      moveElectrodesDue: this.moveElectrodesDue,
    };
  }

  // ------------------------------------------------------------------ running

  channel(): number {
    if (!this.plan) throw new SessionStateError('command', 'a started session', 'idle');
    return this.plan.program.channel;
  }

  /**
   * Run the actions that can raise output (start, raise, resume, accept) one at a time. Reducing
   * commands (stop, pause, lower, ESTOP) never go through here. An action a reducing command cancelled
   * resolves quietly: nothing of it was sent.
   */
  serial(action: () => Promise<void>): Promise<void> {
    const run = this.#actions.then(action).catch((error: unknown) => {
      if (!(error instanceof Superseded)) throw error;
    });
    this.#actions = run.catch(() => {});
    return run;
  }

  /** The record is being closed: no more events go into it. */
  #closing = false;

  /** Every waiting raise gives up (see #durable); called by each reducing command before it sends. */
  preempt(): void {
    this.preemptions++;
    const fired = this.#preemption;
    this.#preemption = newPreemption();
    fired.fire();
  }

  /**
   * Await a record write for a raising action, but give up (Superseded) the moment a reducing command
   * lands: a raise parked behind slow or hung storage must never hold up, or follow, a stop.
   */
  async #durable<T>(write: Promise<T>, what: string): Promise<T> {
    const result = await Promise.race([write, this.#preemption.promise]);
    if (result === PREEMPTED) throw new Superseded(`${what}: a reducing command came first`);
    return result as T;
  }

  /** Append an event that an action waits for (write-ahead); a failure ends the session. */
  async append(body: RecordEventBody): Promise<void> {
    const recorder = this.recorder;
    if (!recorder || this.#closing) return;
    const write = recorder.append(body);
    write.catch(() => {}); // reported below, or by the recorder's failure listener if we gave up waiting
    try {
      await this.#durable(write, body.kind);
    } catch (error) {
      if (error instanceof Superseded) throw error;
      this.recordFailed(error);
      throw new Superseded('record failed');
    }
  }

  /** Append an event without waiting for it; a failed write is reported to the engine, never dropped. */
  log(body: RecordEventBody): void {
    const recorder = this.recorder;
    if (!recorder || this.#closing) return;
    recorder.append(body).catch((error: unknown) => this.recordFailed(error));
  }

  /** One program run: SET_PROGRAM then START, both write-ahead. */
  async run(program: Program, phase: 'titrating' | 'ramping-up'): Promise<void> {
    await this.raising('setProgram', { program, limits: programLimitsLog(this.device, program.channel) }, async () => {
      await this.device.setProgram(program);
    });
    // A stop, pause or ESTOP may have landed while SET_PROGRAM was in flight: then no run begins.
    this.#assertLive('start');
    this.recorder?.setProgram(program);
    this.#runProgram = program;
    this.#runSeenActive = false;
    this.#backstopStopAtMs = null;
    this.setState(phase);
    await this.raising('start', {}, async () => {
      this.runStartMs = this.clock.now();
      await this.device.start(program.channel);
    });
  }

  /**
   * Send a command that can start or raise output: its event first, durable, and every earlier event
   * durable too; then re-check that the session is still live; then send.
   */
  async raising(command: CommandName, fields: { program?: Program; amplitudeUa?: number; limits?: ProgramLimitsLog }, send: () => Promise<void>): Promise<void> {
    const recorder = this.recorder;
    if (!recorder) throw new Superseded('no record');
    this.#assertLive(command);
    await this.append({ kind: 'command', command, channel: this.channel(), ...fields });
    const drained = recorder.drain();
    drained.catch(() => {});
    try {
      await this.#durable(drained, command);
    } catch (error) {
      if (error instanceof Superseded) throw error;
      this.recordFailed(error);
      throw new Superseded('record failed');
    }
    this.#assertLive(command);
    try {
      await send();
    } catch (error) {
      if (this.runStartMs !== null && command === 'start' && !this.#runSeenActive) this.runStartMs = null;
      await this.#commandFailed(command, error);
      throw new Superseded(`${command} failed`);
    }
  }

  #assertLive(command: CommandName): void {
    if (this.ended || this.estopRequested || this.#recordFailure) throw new Superseded(`${command}: session ended`);
    if (this.stopReason !== null) throw new Superseded(`${command}: stop requested`);
    if (this.pauseRequested) throw new Superseded(`${command}: pause requested`);
  }

  /** Send a command that only reduces output: at once, its events appended behind it. */
  async reducing(command: CommandName, fields: { amplitudeUa?: number }, send: () => Promise<unknown>, userEvent: RecordEventBody): Promise<void> {
    const sending = send();
    this.log(userEvent);
    this.log({ kind: 'command', command, channel: this.channel(), ...fields });
    try {
      await sending;
    } catch (error) {
      await this.#commandFailed(command, error);
    }
  }

  async #commandFailed(command: CommandName, error: unknown): Promise<void> {
    this.log({ kind: 'command-error', command, ...errorInfo(error) });
    if (this.ended) return;
    if (command === 'stop') {
      // The client escalates an unanswered STOP to ESTOP itself; make sure of it. (#end first: it marks
      // the session ended synchronously, so the ESTOP's idle report cannot read as a normal end.)
      void this.end('fault', null, `STOP failed (${errorInfo(error).message}); ESTOP sent`);
      this.device.estop().catch(() => {});
      return;
    }
    if (command === 'setAmplitude') {
      // A refused titration step leaves the board at its previous level; the session goes on.
      return;
    }
    // SET_PROGRAM or START refused or unanswered: nothing new is playing; end the session, and ESTOP in
    // case a START did arrive although its answer did not.
    void this.end('stopped', 'device-refused', `${command} failed: ${errorInfo(error).message}`);
    this.device.estop().catch(() => {});
  }

  /**
   * A record write failed. Without a durable record the session must not go on: a ramped STOP now
   * (ESTOP if the ramp has not finished a grace period after the ramp-down), outcome `fault`, the reason
   * in the message. Raises still on their way are cancelled.
   */
  recordFailed(error: unknown): void {
    if (this.ended || this.#recordFailure || !this.plan) return;
    this.#recordFailure = asError(error);
    this.preempt();
    const message = `the session record could not be written (${errorInfo(error).message}), so the output was stopped`;
    this.message = message;
    if (this.runStartMs === null || this.state === 'paused') {
      // Nothing is running (START not sent, or paused): end now; ESTOP in case a START is in flight.
      void this.end('fault', null, message);
      this.device.estop().catch(() => {});
      return;
    }
    const rampDownMs = this.#runProgram?.rampDownMs ?? 0;
    this.#recordFailureTimer = this.clock.setTimeout(() => {
      this.#recordFailureTimer = null;
      if (this.ended) return;
      void this.end('fault', null, `${message}; the ramp-down did not finish in time: ESTOP sent`);
      this.device.estop().catch(() => {});
    }, rampDownMs + this.#backstopGraceMs);
    if (this.state === 'pausing' || this.state === 'ramping-down') return; // a STOP is already out
    this.setState('ramping-down');
    this.device.stop(this.channel()).catch(() => {
      if (this.ended) return;
      void this.end('fault', null, `${message}; STOP failed: ESTOP sent`);
      this.device.estop().catch(() => {});
    });
  }

  // ------------------------------------------------------------------ device events

  subscribe(): void {
    const d = this.device;
    this.unsubscribe.push(
      d.on('status', (m) => this.#onStatus(m)),
      d.on('fault', (f) => this.#onFault(f)),
      d.on('state', (s, p) => this.#onConnection(s, p)),
      d.on('telemetry', (m) => this.#onTelemetry(m)),
      d.on('command', (e) => this.#onCommand(e)),
    );
  }

  #onTelemetry(message: TelemetryMessage): void {
    if (!this.#closing && message.channel === this.plan?.program.channel) this.recorder?.telemetry(message);
  }

  #onCommand(event: CommandEvent): void {
    if (event.kind === 'sent') {
      this.#onSent(event.message);
      return;
    }
    if (!this.recorder || this.#closing) return;
    const body = replyEventBody(event, this.plan?.program.channel);
    if (body) this.log(body);
  }

  /**
   * A STOP for this channel that the engine did not ask for (the app ramps the output down before it
   * disconnects): the session is being stopped from outside. Treat it as a stop, so no raise follows it
   * and the idle report ends the session as stopped, not completed.
   */
  #onSent(message: HostMessage): void {
    if (message.type !== 'stop' || this.ended || !this.plan) return;
    if (message.channel !== ALL_CHANNELS && message.channel !== this.plan.program.channel) return;
    const engineStopping = this.stopReason !== null || this.pauseRequested || this.#backstopStopAtMs !== null || this.#recordFailure !== null;
    if (engineStopping) return;
    this.#outsideStop = true;
    this.stopReason = 'user';
    this.preempt();
    this.log({ kind: 'command', command: 'stop', channel: message.channel });
    if (this.state === 'titrating' || this.state === 'ramping-up' || this.state === 'holding') this.setState('ramping-down');
  }

  #onStatus(message: StatusMessage): void {
    const plan = this.plan;
    if (!plan || this.ended) return;
    const status = message.channels.find((c) => c.channel === plan.program.channel);
    if (!status) return;
    if (status.state !== this.lastBoardState) {
      this.lastBoardState = status.state;
      this.log({ kind: 'board-status', channel: status.channel, state: status.state, amplitudeUa: status.amplitudeUa, targetUa: status.targetUa, elapsedMs: status.elapsedMs, fault: message.fault });
    }
    // After an ESTOP request the board's idle report belongs to the ESTOP, which ends the session itself.
    if (this.runStartMs === null || this.estopRequested) return;
    if (status.state !== 'idle' && !this.#runSeenActive) {
      // The first report of this run dates its START on the board's clock: pulse-exact charge accounting.
      this.recorder?.startRun(message.uptimeMs - status.elapsedMs);
    }
    switch (status.state) {
      case 'ramping-up':
        this.#runSeenActive = true;
        break;
      case 'holding':
        this.#runSeenActive = true;
        if (this.state === 'ramping-up') this.setState('holding');
        break;
      case 'ramping-down':
        this.#runSeenActive = true;
        if (this.state === 'ramping-up' || this.state === 'holding' || this.state === 'titrating') this.setState('ramping-down');
        break;
      case 'idle':
        // A GET_STATUS reply written before our START can still say idle: only an idle that follows
        // this run's activity (or the backstop's own query) ends the run.
        if (this.#runSeenActive) this.#onRunEnded();
        break;
    }
  }

  #onRunEnded(): void {
    if (this.runStartMs === null || this.ended) return;
    this.consumedMs += this.clock.now() - this.runStartMs;
    this.runStartMs = null;
    this.#runProgram = null;
    this.#backstopStopAtMs = null;
    if (this.estopRequested) {
      void this.end('estopped', null, 'ESTOP');
      return;
    }
    if (this.#recordFailure) {
      void this.end('fault', null, this.message ?? 'the session record could not be written');
      return;
    }
    if (this.#outsideStop) {
      void this.end('stopped', 'user', 'stopped: the output was ramped down from outside the session (the board was being disconnected)');
      return;
    }
    if (this.pauseRequested && this.stopReason === null) {
      this.setState('paused');
      return;
    }
    if (this.stopReason !== null) void this.end('stopped', this.stopReason, this.stopReason === 'user' ? 'stopped by the user' : `stopped: ${this.stopReason}`);
    else if (this.capTruncated) void this.end('stopped', 'daily-cap', `stopped at the daily cap of ${Math.round(this.dailyCapMs / 60_000)} min per ${Math.round(this.dailyWindowMs / 3_600_000)} h`);
    else void this.end('completed', null, 'completed');
  }

  #onFault(fault: DeviceFault): void {
    if (this.ended || !this.plan) return;
    this.log({ kind: 'fault', source: fault.source, code: fault.code, channel: fault.channel, message: fault.message, ...(fault.board ? { detail: fault.board.detail } : {}) });
    if (fault.code === 'connection-lost') {
      void this.end('connection-lost', null, fault.message);
      return;
    }
    if (fault.code === 'estop') {
      // An ESTOP from outside the engine (the app's STOP button, Space, Escape) latches this board fault.
      void this.end('estopped', null, `E-stopped: ${fault.message}`);
      return;
    }
    void this.end('fault', null, `${fault.source} fault ${fault.code}: ${fault.message}`);
    // Every fault cuts at once: make sure the whole board is at zero (harmless if it already is).
    if (this.device.state !== 'lost') this.device.estop().catch(() => {});
  }

  #onConnection(state: ConnectionState, previous: ConnectionState): void {
    if (this.ended || !this.plan) return;
    this.log({ kind: 'connection', state, previous });
    if (state === 'lost' || state === 'disconnected') void this.end('connection-lost', null, `connection ${state} (was ${previous}); the board's watchdog stops its output`);
    else if (state === 'faulted') void this.end('fault', null, 'the device reported a fault');
  }

  // ------------------------------------------------------------------ clock

  elapsedMs(): number {
    return this.consumedMs + (this.runStartMs === null ? 0 : this.clock.now() - this.runStartMs);
  }

  onTick(): void {
    if (this.ended || !this.plan) return;
    const elapsed = this.elapsedMs();
    // Move-the-electrodes reminder every siteReminderMs of stimulation on this site.
    const siteMs = this.siteBaseMs + elapsed;
    const reminders = siteRemindersDue(siteMs, this.reminders, this.#siteReminderMs);
    if (reminders !== null) {
      this.reminders = reminders;
      this.moveElectrodesDue = true;
      this.log({ kind: 'reminder', reminder: 'move-electrodes', siteMs });
    }
    this.#backstop();
    this.emit();
  }

  /** The board should end each run at its programmed duration; if it has not, the engine ends it. */
  #backstop(): void {
    const program = this.#runProgram;
    if (this.runStartMs === null || !program) return;
    const now = this.clock.now();
    const step = backstopStep(now, this.runStartMs, program, this.#backstopGraceMs, this.#backstopStopAtMs);
    if (step.kind === 'query') {
      const overdueMs = step.overdueMs;
      this.#backstopStopAtMs = now;
      // Perhaps only the idle STATUS was lost: ask. Idle ends the run; anything else gets a STOP.
      void this.device
        .getStatus()
        .then((status) => {
          const channel = status.channels.find((c) => c.channel === program.channel);
          if (channel?.state === 'idle') {
            this.#runSeenActive = true;
            this.#onRunEnded();
            return;
          }
          // The STOP goes out first; its event follows (a stop never waits for storage).
          const stopping = this.device.stop(program.channel);
          this.log({ kind: 'limit', limit: 'host-backstop', valueMs: overdueMs, message: `the board was still ${channel?.state ?? 'unknown'} ${overdueMs} ms after the run's programmed end: STOP sent` });
          return stopping;
        })
        .catch(() => {
          this.device.estop().catch(() => {});
        });
    } else if (step.kind === 'estop') {
      // Still not idle after a full ramp-down: ESTOP and end.
      // #end first: it marks the session ended synchronously, so the ESTOP's idle report is not a normal end.
      this.log({ kind: 'limit', limit: 'host-backstop', valueMs: step.sinceStartMs, message: 'the board did not stop after STOP: ESTOP sent' });
      void this.end('fault', null, 'host backstop: the board ran past its programmed end and did not stop; ESTOP sent');
      this.device.estop().catch(() => {});
    }
  }

  stopTick(): void {
    if (this.tick !== null) this.clock.clearInterval(this.tick);
    this.tick = null;
  }

  // ------------------------------------------------------------------ ending

  async end(outcome: SessionOutcome, stopReason: StopReason | null, message: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.plan) releaseSessionLimits(this.device, this.plan.program.channel);
    if (this.runStartMs !== null) this.consumedMs += this.clock.now() - this.runStartMs;
    this.runStartMs = null;
    this.#runProgram = null;
    this.outcome = outcome;
    this.stopReason = outcome === 'stopped' ? stopReason : this.stopReason;
    this.message = message;
    this.stopTick();
    if (this.#recordFailureTimer !== null) this.clock.clearTimeout(this.#recordFailureTimer);
    this.#recordFailureTimer = null;
    this.setState('done');
    // Let the board's last telemetry batch arrive (it follows the idle report), unless the link is gone.
    if (outcome !== 'connection-lost' && this.#trailingTelemetryMs > 0) {
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, this.#trailingTelemetryMs));
    }
    this.#closing = true;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    const recorder = this.recorder;
    if (!recorder) return;
    try {
      const record = await recorder.close(outcome, outcome === 'stopped' ? stopReason : null, message, this.targetUa ?? this.levelUa);
      this.#resolveFinished(record);
    } catch (error) {
      this.#rejectFinished(asError(error));
    }
    this.emit();
  }

  setState(next: SessionState): void {
    const previous = this.state;
    if (previous === next) return;
    this.state = next;
    this.log({ kind: 'phase', from: previous, to: next });
    this.emit();
  }

  emit(): void {
    if (this.listeners.size === 0) return;
    const snapshot = this.snapshot;
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch {
        // A UI listener's error must never break the engine.
      }
    }
  }
}
