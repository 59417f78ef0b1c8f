/**
 * The session in progress, for the Session screen: builds the plan from a preset (ceiling capped by the
 * limits in force), runs the SessionEngine against the connected board and durable store, and mirrors
 * its snapshot as reactive state. One engine per session; a finished engine is kept for its outcome.
 */
import { APP_SOFTWARE } from '../appVersion.ts';
import { systemClock } from '../../lib/clock.ts';
import type { SessionEngine, SessionSnapshot } from '../../lib/session/SessionEngine.ts';
import type { ProgrammeRef, SessionPlan } from '../../lib/session/SessionPlan.ts';
import type { Preset } from '../../lib/presets/types.ts';
import type { SessionRecord } from '../../lib/session/recordTypes.ts';
import { DEFAULT_PARTICIPANT } from '../../lib/session/participant.ts';
import type { BoardConnectionState } from './connection.svelte.ts';
import type { AppServices } from './services.svelte.ts';
import type { DensityOverrideState } from './densityOverride.svelte.ts';
import type { ValidationContext } from '../../../firmware-protocol/src/index.ts';
import { errorText } from '../format.ts';

export interface SessionChoice {
  preset: Preset;
  channel: number;
  titrate: boolean;
  /** Without titration: the target, µA. */
  amplitudeUa?: number;
  /** Shorter total length than the preset's, ms (never longer). */
  durationMs?: number;
  painPre?: number;
  programmeRef?: ProgrammeRef | null;
  intensityPermille?: number;
}

/** A programme occurrence the user chose to run from the Programmes screen. */
export interface PendingProgrammeSession {
  presetId: string;
  programmeRef: ProgrammeRef;
  intensity: 'day' | 'night';
}

export class SessionScreenState {
  #pending = $state<PendingProgrammeSession | null>(null);
  #snapshot = $state<SessionSnapshot | null>(null);
  #plan = $state<SessionPlan | null>(null);
  #error = $state<string | null>(null);
  #record = $state<SessionRecord | null>(null);
  #engine: SessionEngine | null = null;
  readonly #connection: BoardConnectionState;
  readonly #services: AppServices;
  readonly #override: DensityOverrideState;
  readonly #participant: () => string;

  /** `participant`: the code new records carry and the daily cap is counted for (default "self"). */
  constructor(connection: BoardConnectionState, services: AppServices, densityOverride: DensityOverrideState, participant: () => string = () => DEFAULT_PARTICIPANT) {
    this.#connection = connection;
    this.#services = services;
    this.#override = densityOverride;
    this.#participant = participant;
  }

  /** The participant new sessions are recorded for. */
  get participant(): string {
    return this.#participant();
  }

  /**
   * The limits a session on `channel` would run under: caps, lab cap, the channel's electrode area (the
   * device's, or `electrodeAreaCm2` when the caller holds a newer choice) and the armed override if any.
   */
  contextFor(channel: number, electrodeAreaCm2?: number | null): ValidationContext {
    const device = this.#connection.device;
    const context: ValidationContext = electrodeAreaCm2 === undefined ? (device?.validationContextFor(channel) ?? {}) : { ...(device?.validationContext ?? {}) };
    if (electrodeAreaCm2 !== undefined && electrodeAreaCm2 !== null) context.electrodeAreaCm2 = electrodeAreaCm2;
    const armed = this.#override.armed;
    return armed ? { ...context, labCap: { ...context.labCap, maxCurrentDensityUaPerCm2: armed.limitUaPerCm2 } } : context;
  }

  /** Set by the Programmes screen; the Session screen preselects it and links the record to the slot. */
  get pending(): PendingProgrammeSession | null {
    return this.#pending;
  }
  prepare(pending: PendingProgrammeSession | null): void {
    this.#pending = pending;
  }

  get snapshot(): SessionSnapshot | null {
    return this.#snapshot;
  }
  get plan(): SessionPlan | null {
    return this.#plan;
  }
  get error(): string | null {
    return this.#error;
  }
  /** The closed record of the last session (after it ended). */
  get record(): SessionRecord | null {
    return this.#record;
  }
  get running(): boolean {
    const s = this.#snapshot?.state;
    return s !== undefined && s !== 'idle' && s !== 'done';
  }

  /** Build the plan the engine would run, or throw a typed error saying why not. */
  async planFor(choice: SessionChoice): Promise<SessionPlan> {
    const { planFromPreset } = await import('../../lib/session/planFromPreset.ts');
    const device = this.#connection.device;
    const plan = planFromPreset(choice.preset, {
      channel: choice.channel,
      titrate: choice.titrate,
      ...(choice.amplitudeUa !== undefined ? { amplitudeUa: choice.amplitudeUa } : {}),
      ...(choice.intensityPermille !== undefined ? { intensityPermille: choice.intensityPermille } : {}),
      ...(device ? { context: this.contextFor(choice.channel) } : {}),
      programmeRef: choice.programmeRef ?? null,
    });
    if (choice.durationMs !== undefined && choice.durationMs < plan.program.durationMs) {
      plan.program = { ...plan.program, durationMs: choice.durationMs };
      plan.label = `${plan.label} — shortened to ${Math.round(choice.durationMs / 1000)} s`;
    }
    return plan;
  }

  async start(choice: SessionChoice): Promise<void> {
    this.#error = null;
    // The previous session's record is final now (rated or not): hand it to lab sync.
    if (this.#record) void this.#services.queueFinishedForSync();
    const device = this.#connection.device;
    const store = this.#services.store;
    if (!device) return void (this.#error = 'Connect a board first.');
    if (!store) return void (this.#error = `Records cannot be stored (${this.#services.storageError ?? 'storage not ready'}); no session may start without a durable record.`);
    if (this.running) return void (this.#error = 'A session is already running.');
    try {
      const plan = await this.planFor(choice);
      // Loaded on first use: the engine is not part of the initial bundle.
      const { SessionEngine } = await import('../../lib/session/SessionEngine.ts');
      this.#engine?.dispose();
      const engine = new SessionEngine({ device, store, clock: systemClock, software: APP_SOFTWARE });
      this.#engine = engine;
      this.#plan = plan;
      this.#record = null;
      engine.onChange((s) => (this.#snapshot = s));
      // The armed override belongs to this session only: it ends when the session ends.
      const densityOverride = this.#override.armed;
      const endOverride = () => {
        if (densityOverride && this.#override.armed === densityOverride) this.#override.clear();
      };
      void engine.finished.then(
        (record) => {
          endOverride();
          this.#record = record;
          this.#services.recordsChanged();
        },
        (e: unknown) => {
          endOverride();
          this.#error = errorText(e);
        },
      );
      await engine.start(plan, {
        participant: this.#participant(),
        ...(choice.painPre !== undefined ? { painPre: choice.painPre } : {}),
        ...(densityOverride ? { densityOverride } : {}),
      });
      if (densityOverride) this.#override.markInUse();
      this.#pending = null;
      this.#snapshot = engine.snapshot;
      this.#services.recordsChanged();
    } catch (e) {
      this.#error = errorText(e);
    }
  }

  raise = () => this.#act((e) => e.raise());
  lower = () => this.#act((e) => e.lower());
  accept = () => this.#act((e) => e.acceptTitration());
  pause = () => this.#act((e) => e.pause());
  resume = () => this.#act((e) => e.resume());
  stop = () => this.#act((e) => e.stop());
  electrodesMoved = () => this.#act((e) => e.electrodesMoved());

  async ratePainAfter(nrs: number): Promise<void> {
    await this.#act(async (e) => {
      this.#record = await e.ratePainAfter(nrs);
      this.#services.recordsChanged();
      await this.#services.queueFinishedForSync();
    });
  }

  async #act(fn: (engine: SessionEngine) => Promise<unknown>): Promise<void> {
    const engine = this.#engine;
    if (!engine) return;
    this.#error = null;
    try {
      await fn(engine);
    } catch (e) {
      this.#error = errorText(e);
    }
  }
}
