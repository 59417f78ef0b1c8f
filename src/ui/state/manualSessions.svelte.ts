/**
 * Manual stimulation on the Control screen, one session per channel. Every Start runs an ad-hoc
 * SessionEngine session (plan.manual) against the same record store as preset and programme sessions,
 * so a manual run has a durable record, the participant's daily cap, the move-the-electrodes reminder
 * and the override events, and shows in History as manual. Live amplitude changes go through the
 * engine too (raises written ahead, decreases at once). Nothing here sends START or a raising
 * SET_AMPLITUDE to the board itself.
 */
import { APP_SOFTWARE } from '../appVersion.ts';
import { systemClock } from '../../lib/clock.ts';
import type { Program } from '../../../firmware-protocol/src/index.ts';
import type { SessionEngine, SessionSnapshot } from '../../lib/session/SessionEngine.ts';
import type { SessionPlan } from '../../lib/session/SessionPlan.ts';
import type { BoardConnectionState } from './connection.svelte.ts';
import type { AppServices } from './services.svelte.ts';
import { errorText } from '../format.ts';

/** What the manual sessions need of the app services (an AppServices fits; tests pass a plain object). */
export type ManualServices = Pick<AppServices, 'store' | 'storageError' | 'recordsChanged' | 'queueFinishedForSync'>;

/** The plan of a manual session: the program as set by hand, its amplitude the target the ramp reaches. */
export function manualPlan(program: Program): SessionPlan {
  return { program: { ...program }, titration: null, presetId: null, programmeRef: null, label: `Manual — channel ${program.channel + 1}`, manual: true };
}

export class ManualSessionsState {
  #snapshots = $state<Record<number, SessionSnapshot>>({});
  #errors = $state<Record<number, string | null>>({});
  #engines = new Map<number, SessionEngine>();
  readonly #connection: BoardConnectionState;
  readonly #services: ManualServices;
  readonly #participant: () => string;

  constructor(connection: BoardConnectionState, services: ManualServices, participant: () => string) {
    this.#connection = connection;
    this.#services = services;
    this.#participant = participant;
  }

  /** The latest snapshot of the channel's manual session (also after it ended), or null. */
  snapshot(channel: number): SessionSnapshot | null {
    return this.#snapshots[channel] ?? null;
  }
  error(channel: number): string | null {
    return this.#errors[channel] ?? null;
  }
  /** True while the channel's manual session is live (starting, running, paused or stopping). */
  active(channel: number): boolean {
    const state = this.#snapshots[channel]?.state;
    return this.#engines.has(channel) && state !== 'done';
  }

  /** Start `program` on its channel as a recorded manual session. Errors are shown, never thrown. */
  async start(program: Program): Promise<void> {
    const channel = program.channel;
    this.#errors[channel] = null;
    const device = this.#connection.device;
    const store = this.#services.store;
    if (!device) return void (this.#errors[channel] = 'Connect a board first.');
    if (!store) {
      return void (this.#errors[channel] = `Not started: records cannot be stored (${this.#services.storageError ?? 'storage not ready'}), and no stimulation may run without a durable record.`);
    }
    if (this.active(channel)) return void (this.#errors[channel] = `Channel ${channel + 1} already runs a manual session.`);
    try {
      // Loaded on first use: the engine is not part of the initial bundle.
      const { SessionEngine } = await import('../../lib/session/SessionEngine.ts');
      this.#engines.get(channel)?.dispose();
      const engine = new SessionEngine({ device, store, clock: systemClock, software: APP_SOFTWARE });
      this.#engines.set(channel, engine);
      engine.onChange((s) => (this.#snapshots[channel] = s));
      void engine.finished.then(
        () => {
          this.#services.recordsChanged();
          // A manual record takes no later pain rating: it is final now, so the lab copy can go.
          void this.#services.queueFinishedForSync();
        },
        (e: unknown) => (this.#errors[channel] = errorText(e)),
      );
      await engine.start(manualPlan(program), { participant: this.#participant() });
      this.#snapshots[channel] = engine.snapshot;
      this.#services.recordsChanged();
    } catch (e) {
      this.#engines.get(channel)?.dispose();
      this.#engines.delete(channel);
      this.#errors[channel] = errorText(e);
    }
  }

  /** The participant new manual sessions are recorded for. */
  get participant(): string {
    return this.#participant();
  }

  /**
   * Move the live amplitude of the channel's manual session (raises written ahead and slewed by the
   * board; decreases at once). Throws when there is none or the engine refuses (the caller shows why).
   */
  async setLevel(channel: number, amplitudeUa: number): Promise<void> {
    const engine = this.#engines.get(channel);
    if (!engine || !this.active(channel)) throw new Error(`no manual session runs on channel ${channel + 1}: start one first`);
    await engine.setLevel(amplitudeUa);
  }
  /** Ramped stop of the channel's manual session; the record says stopped by the user. */
  stop = (channel: number): Promise<void> => this.#act(channel, (e) => e.stop());
  electrodesMoved = (channel: number): Promise<void> => this.#act(channel, (e) => e.electrodesMoved());

  /** Ramped stop of every live manual session. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#engines.keys()].filter((c) => this.active(c)).map((c) => this.stop(c)));
  }

  async #act(channel: number, fn: (engine: SessionEngine) => Promise<unknown>): Promise<void> {
    const engine = this.#engines.get(channel);
    if (!engine) return;
    this.#errors[channel] = null;
    try {
      await fn(engine);
    } catch (e) {
      this.#errors[channel] = errorText(e);
    }
  }
}
