/**
 * The session engine: runs one SessionPlan on one channel through a StimulatorDevice, as an explicit
 * state machine on an injected clock, and records everything in a durable SessionRecord.
 *
 *   idle → [titrating] → ramping-up → holding → ramping-down → done
 *   titrating | ramping-up | holding → pausing → paused → (resume) ramping-up | titrating
 *   any → done (stop, ESTOP, board fault, lost connection, daily cap, record failure)
 *
 * Phases follow the board's own STATUS reports (the board runs the ramps); the engine's clock keeps the
 * remaining time, the daily cap, the electrode-site reminder and a backstop that stops a run the board
 * should already have ended.
 *
 * Safety rules (each proved in tests/session):
 * - Write-ahead: every command that can start or raise output (SET_PROGRAM, START, a raising
 *   SET_AMPLITUDE) is sent only after its event, and every event before it, is durable. Commands that
 *   reduce output (stop, pause, lower, ESTOP) never wait: not for storage, and not for a raise queued or
 *   parked before them. They go out at once, cancel every raise still on its way (a cancelled raise is
 *   never sent), and their events follow.
 * - Every record write reports its failure to the engine (a write that rejects, or none completing for a
 *   summary-flush period): the session then ends with a ramped STOP (ESTOP if the ramp does not finish),
 *   outcome `fault`, and the reason in its message.
 * - A STOP on this channel that the engine did not send (the app stops the output before it disconnects)
 *   ends the session as stopped, never as completed.
 * - After every await, the engine re-checks that the session is still live before sending anything
 *   that could raise output, so an ESTOP, fault or stop that lands mid-command always wins.
 * - Every start is a ramp from 0 (START); resume sends a new program with the remaining duration and
 *   STARTs again from 0. Titration raises go through SET_AMPLITUDE, which the board slews.
 * - The longest single session is the mode's (validateProgram); the daily cap truncates the run so the
 *   board itself ends it at the cap, and refuses a session with no time left. The cap is the
 *   participant's, over every channel (dailyUsage.ts), and admissions on one store run one at a time
 *   (admission.ts).
 * - Manual sessions (plan.manual) move their amplitude live through setLevel(): raises write-ahead and
 *   never above the ceiling fixed at the start, decreases at once. Nothing outside the engine starts or
 *   raises output.
 */
import { ALL_CHANNELS, MIN_DURATION_MS } from '../../../firmware-protocol/src/index.ts';
import type { SessionRecord, SessionState, StopReason } from './recordTypes.ts';
import { SessionRecorder } from './SessionRecorder.ts';
import { admitPlan } from './admitPlan.ts';
import { errorInfo } from './deviceEventLog.ts';
import { Superseded } from './preemption.ts';
import { recordHeader } from './recordHeader.ts';
import { acquireAdmission, admitDailyCap } from './admission.ts';
import { SessionError, SessionRefusedError, SessionStateError } from './errors.ts';
import type { SessionPlan } from './SessionPlan.ts';
import type { SessionEngineOptions, SessionSnapshot, StartOptions } from './sessionEngineTypes.ts';
import { overrideEvent, releaseSessionLimits } from './sessionLimits.ts';
import { DEFAULT_SITE_REMINDER_MS, SessionRun, type Listener } from './SessionRun.ts';

export { DEFAULT_SITE_REMINDER_MS };
// The engine's options and snapshot live beside it; exported from here too, where callers look for them.
export type { SessionEngineOptions, SessionSnapshot, StartOptions } from './sessionEngineTypes.ts';

export class SessionEngine {
  /** The run's state and machinery; this class holds the user actions. */
  readonly #r: SessionRun;

  constructor(options: SessionEngineOptions) {
    this.#r = new SessionRun(options);
  }

  // ------------------------------------------------------------------ observation

  get state(): SessionState {
    return this.#r.state;
  }
  get recordId(): string | null {
    return this.#r.recorder?.recordId ?? null;
  }
  /** Resolves with the closed record once the session has ended and the record is durable. */
  get finished(): Promise<SessionRecord> {
    return this.#r.finished;
  }

  get snapshot(): SessionSnapshot {
    return this.#r.snapshot;
  }

  /** Listen to every change (state, level, each tick). Returns an unsubscribe function. */
  onChange(listener: Listener): () => void {
    this.#r.listeners.add(listener);
    return () => this.#r.listeners.delete(listener);
  }

  // ------------------------------------------------------------------ user actions

  /**
   * Start the plan. Refuses (SessionRefusedError, no record, nothing sent) when the device is not ready,
   * the plan fails validation, or the daily cap leaves no time. Resolves once START has been sent.
   */
  async start(plan: SessionPlan, options: StartOptions = {}): Promise<void> {
    if (this.#r.plan || this.#r.starting) throw new SessionStateError('start()', 'idle (an engine runs one session)', this.#r.state);
    this.#r.starting = true;
    const releaseAdmission = await acquireAdmission(this.#r.store);
    try {
      await this.#start(plan, options, releaseAdmission);
    } catch (error) {
      // Refused before the record existed: no override may outlive a session that never began.
      if (!this.#r.recorder) releaseSessionLimits(this.#r.device, plan.program.channel);
      throw error;
    } finally {
      releaseAdmission();
      this.#r.starting = false;
    }
  }

  async #start(plan: SessionPlan, options: StartOptions, releaseAdmission: () => void): Promise<void> {
    const device = this.#r.device;
    const program = plan.program;
    const admitted = admitPlan(device, plan, options);
    const titration = plan.titration;
    const firstLevel = admitted.firstLevelUa;
    const participant = admitted.participant;

    // Daily cap, from the durable records of every session of this participant on every channel.
    const now = this.#r.clock.wallNow();
    const { usedMs, budgetMs, firstDurationMs } = await admitDailyCap(this.#r.store, participant, program, now, { capMs: this.#r.dailyCapMs, windowMs: this.#r.dailyWindowMs });
    if (this.#r.estopRequested || this.#r.stopReason !== null) {
      throw new SessionRefusedError('STOPPED', `start(): ${this.#r.estopRequested ? 'ESTOP' : 'stop'} pressed while starting; nothing was sent`);
    }
    this.#r.plan = plan;
    this.#r.capBudgetMs = budgetMs;
    this.#r.levelUa = firstLevel;
    this.#r.levelCeilingUa = admitted.ceiling.value;
    this.#r.titrating = titration !== null;
    this.#r.targetUa = titration ? null : program.amplitudeUa;

    const record = recordHeader({ id: this.#r.newId(), createdMonoMs: this.#r.clock.now(), createdWallMs: now, plan, admitted, device, painPre: options.painPre ?? null, software: this.#r.software });
    const recorder = await SessionRecorder.create(this.#r.store, this.#r.clock, record, {
      flushEverySeconds: this.#r.summaryFlushSeconds,
      onFailure: (error) => this.#r.recordFailed(error),
    });
    this.#r.recorder = recorder;
    // The open record now counts against the participant's cap: the next admission may go ahead.
    releaseAdmission();
    this.#r.subscribe();
    this.#r.log({ kind: 'user', action: 'start', valueUa: firstLevel });
    if (options.painPre !== undefined) this.#r.log({ kind: 'pain', when: 'pre', nrs: options.painPre });
    const override = overrideEvent(device, program.channel);
    if (override) this.#r.log(override);
    if (firstDurationMs < program.durationMs) {
      this.#r.capTruncated = true;
      this.#r.log({
        kind: 'limit',
        limit: 'daily-cap',
        valueMs: firstDurationMs,
        message: `daily cap: ${Math.round(usedMs / 60_000)} min already used by participant "${participant}" over every channel; this session is limited to ${firstDurationMs} ms of its planned ${program.durationMs} ms and will be stopped there`,
      });
    }
    this.#r.tick = this.#r.clock.setInterval(() => this.#r.onTick(), this.#r.tickMs);
    // Through the action queue, so a pause or stop pressed during start-up runs after it, never across it.
    await this.#r.serial(async () => {
      try {
        await this.#r.run({ ...admitted.firstProgram, durationMs: firstDurationMs }, this.#r.titrating ? 'titrating' : 'ramping-up');
      } catch (error) {
        if (!(error instanceof Superseded)) throw error;
      }
    });
  }

  /** Titration: raise the level one step (at most the titration maximum). The board slews the rise. */
  raise(): Promise<void> {
    return this.#r.serial(async () => {
      const titration = this.#r.plan?.titration;
      if (!this.#r.titrating || !titration || this.#r.state !== 'titrating') throw new SessionStateError('raise()', 'titrating', this.#r.state);
      const next = Math.min(this.#r.levelUa + titration.stepUa, titration.maxUa);
      if (next === this.#r.levelUa) return;
      const preemptions = this.#r.preemptions;
      await this.#r.append({ kind: 'user', action: 'titrate-up', valueUa: next });
      await this.#r.raising('setAmplitude', { amplitudeUa: next }, async () => {
        await this.#r.device.setAmplitude(this.#r.channel(), next);
        // A lower (or stop) that went out while this raise was in flight set the level after it.
        if (preemptions === this.#r.preemptions) this.#r.levelUa = next;
      });
      this.#r.emit();
    });
  }

  /**
   * Titration: lower the level one step. A decrease is immediate: it never waits for storage or for a
   * raise still on its way (that raise is cancelled).
   */
  lower(): Promise<void> {
    const titration = this.#r.plan?.titration;
    if (!this.#r.titrating || !titration || this.#r.state !== 'titrating') return Promise.reject(new SessionStateError('lower()', 'titrating', this.#r.state));
    this.#r.preempt();
    const next = Math.max(this.#r.levelUa - titration.stepUa, titration.stepUa);
    if (next === this.#r.levelUa) return Promise.resolve();
    this.#r.levelUa = next;
    this.#r.emit();
    return this.#r.reducing('setAmplitude', { amplitudeUa: next }, () => this.#r.device.setAmplitude(this.#r.channel(), next), { kind: 'user', action: 'titrate-down', valueUa: next });
  }

  /**
   * Manual session: move the amplitude to `amplitudeUa` (the Control screen's slider, keys and buttons).
   * A raise is written ahead like every raising command, slewed by the board, and never above the
   * ceiling in force when the session started; a decrease goes out at once and never waits for storage.
   */
  setLevel(amplitudeUa: number): Promise<void> {
    const plan = this.#r.plan;
    if (!plan?.manual || (this.#r.state !== 'ramping-up' && this.#r.state !== 'holding')) {
      return Promise.reject(new SessionStateError('setLevel()', 'a manual session ramping up or holding', plan && !plan.manual ? `${this.#r.state} (not a manual session)` : this.#r.state));
    }
    if (!Number.isInteger(amplitudeUa) || amplitudeUa < 0 || amplitudeUa > this.#r.levelCeilingUa) {
      return Promise.reject(new SessionError('LEVEL_REFUSED', `setLevel(): expected an integer from 0 to ${this.#r.levelCeilingUa} µA (the ceiling in force when the session started), got ${amplitudeUa}`));
    }
    if (amplitudeUa < this.#r.levelUa) {
      // A decrease never queues behind a raise or storage: the raise still on its way is cancelled.
      this.#r.preempt();
      this.#r.levelUa = amplitudeUa;
      this.#r.targetUa = amplitudeUa;
      this.#r.emit();
      return this.#r.reducing('setAmplitude', { amplitudeUa }, () => this.#r.device.setAmplitude(this.#r.channel(), amplitudeUa), { kind: 'user', action: 'set-level', valueUa: amplitudeUa });
    }
    return this.#r.serial(async () => {
      if (amplitudeUa <= this.#r.levelUa) return;
      const preemptions = this.#r.preemptions;
      await this.#r.append({ kind: 'user', action: 'set-level', valueUa: amplitudeUa });
      await this.#r.raising('setAmplitude', { amplitudeUa }, async () => {
        await this.#r.device.setAmplitude(this.#r.channel(), amplitudeUa);
        // A decrease (or stop) that went out while this raise was in flight set the level after it.
        if (preemptions === this.#r.preemptions) {
          this.#r.levelUa = amplitudeUa;
          this.#r.targetUa = amplitudeUa;
        }
      });
      this.#r.emit();
    });
  }

  /** Titration: "strong but comfortable" reached. The present level becomes the session's target. */
  acceptTitration(): Promise<void> {
    return this.#r.serial(async () => {
      if (!this.#r.titrating || (this.#r.state !== 'titrating' && this.#r.state !== 'paused')) throw new SessionStateError('acceptTitration()', 'titrating', this.#r.state);
      this.#r.titrating = false;
      this.#r.targetUa = this.#r.levelUa;
      await this.#r.append({ kind: 'user', action: 'titrate-accept', valueUa: this.#r.levelUa });
      if (this.#r.state === 'titrating') this.#r.setState(this.#r.lastBoardState === 'holding' ? 'holding' : 'ramping-up');
      this.#r.emit();
    });
  }

  /**
   * Pause: a ramped stop to zero, at once (never queued behind a raise or storage). Resolves once STOP
   * has been acknowledged.
   */
  pause(): Promise<void> {
    if (this.#r.ended || (this.#r.state !== 'titrating' && this.#r.state !== 'ramping-up' && this.#r.state !== 'holding')) {
      return Promise.reject(new SessionStateError('pause()', 'titrating, ramping-up or holding', this.#r.state));
    }
    this.#r.pauseRequested = true;
    this.#r.preempt();
    if (this.#r.runStartMs === null) {
      // START has not been sent (the pause cancelled it): nothing is running to ramp down.
      this.#r.log({ kind: 'user', action: 'pause' });
      this.#r.setState('paused');
      return Promise.resolve();
    }
    this.#r.setState('pausing');
    return this.#r.reducing('stop', {}, () => this.#r.device.stop(this.#r.channel()), { kind: 'user', action: 'pause' });
  }

  /** Resume after a pause: a new program with the remaining duration, and START from zero again. */
  resume(): Promise<void> {
    return this.#r.serial(async () => {
      const plan = this.#r.plan;
      if (!plan || this.#r.state !== 'paused') throw new SessionStateError('resume()', 'paused', this.#r.state);
      const program = plan.program;
      const remainingMs = program.durationMs - this.#r.consumedMs;
      const budgetLeftMs = this.#r.capBudgetMs - this.#r.consumedMs;
      const durationMs = Math.min(remainingMs, budgetLeftMs);
      const needMs = Math.max(MIN_DURATION_MS, program.rampUpMs + program.rampDownMs);
      await this.#r.append({ kind: 'user', action: 'resume' });
      if (durationMs < needMs) {
        // Too little left to ramp up and down again: the session is over.
        if (budgetLeftMs < remainingMs) void this.#r.end('stopped', 'daily-cap', `daily cap reached: ${budgetLeftMs} ms left, a run needs ${needMs} ms`);
        else void this.#r.end('completed', null, `completed: ${remainingMs} ms were left, too short to ramp up and down again`);
        return;
      }
      if (durationMs < remainingMs) {
        this.#r.capTruncated = true;
        await this.#r.append({ kind: 'limit', limit: 'daily-cap', valueMs: durationMs, message: `daily cap: this run is limited to ${durationMs} ms` });
      }
      this.#r.pauseRequested = false;
      try {
        await this.#r.run({ ...program, amplitudeUa: this.#r.levelUa, durationMs }, this.#r.titrating ? 'titrating' : 'ramping-up');
      } catch (error) {
        if (!(error instanceof Superseded)) throw error;
      }
    });
  }

  /**
   * Stop: a ramped stop, sent at once: it never waits for storage or for a raise queued or parked before
   * it (that raise is cancelled and never sent). The session ends (outcome stopped) when the board is idle.
   * Resolves once STOP has been acknowledged (or at once when nothing was running).
   */
  stop(reason: StopReason = 'user'): Promise<void> {
    if (this.#r.ended || (!this.#r.plan && !this.#r.starting)) return Promise.resolve();
    // Set at once, so a start, resume or raise still on its way sees it and never sends.
    this.#r.stopReason ??= reason;
    this.#r.preempt();
    if (!this.#r.plan) return Promise.resolve(); // start() sees the flag and sends nothing
    if (this.#r.state === 'paused' || (this.#r.runStartMs === null && this.#r.state !== 'pausing')) {
      // Nothing is running (paused, or a start/resume whose START the stop cancelled): the session just ends.
      this.#r.log({ kind: 'user', action: 'stop' });
      void this.#r.end('stopped', this.#r.stopReason, this.#r.state === 'paused' ? 'stopped while paused' : 'stopped before output started');
      return Promise.resolve();
    }
    if (this.#r.state === 'pausing' || this.#r.state === 'ramping-down') {
      // Already ramping to zero: the idle report ends the session as stopped.
      this.#r.log({ kind: 'user', action: 'stop' });
      return Promise.resolve();
    }
    this.#r.setState('ramping-down');
    return this.#r.reducing('stop', {}, () => this.#r.device.stop(this.#r.channel()), { kind: 'user', action: 'stop' });
  }

  /**
   * ESTOP: every channel of the board to zero at once, from any state (even before or after a session).
   * The frame goes out before anything is written; the record follows.
   */
  async estop(): Promise<void> {
    this.#r.estopRequested = true;
    const sent = this.#r.device.estop();
    this.#r.preempt();
    if (this.#r.recorder && !this.#r.ended) {
      this.#r.log({ kind: 'user', action: 'estop' });
      this.#r.log({ kind: 'command', command: 'estop', channel: ALL_CHANNELS });
      void this.#r.end('estopped', null, 'ESTOP');
    }
    try {
      await sent;
    } catch (error) {
      this.#r.log({ kind: 'command-error', command: 'estop', ...errorInfo(error) });
      throw error;
    }
  }

  /** The user moved the electrodes to a new site: the 4-hour site clock restarts. */
  async electrodesMoved(): Promise<void> {
    this.#r.siteBaseMs = -this.#r.elapsedMs();
    this.#r.reminders = 0;
    this.#r.moveElectrodesDue = false;
    // Not write-ahead (nothing is sent): logged, a failure reported like any other write.
    this.#r.log({ kind: 'user', action: 'electrodes-moved' });
    this.#r.emit();
  }

  /** Pain after the session (NRS 0–10), once it is done and recorded. */
  async ratePainAfter(nrs: number): Promise<SessionRecord> {
    const record = await this.#r.finished;
    return this.#r.store.setPain(record.id, 'post', nrs, this.#r.clock.now(), this.#r.clock.wallNow());
  }

  /** Stop listening and clear timers (the session must be done). */
  dispose(): void {
    this.#r.stopTick();
    for (const off of this.#r.unsubscribe) off();
    this.#r.unsubscribe = [];
    this.#r.listeners.clear();
  }
}
