/**
 * Notifies when a programme session is due, through the Notifications API when it exists and the user has
 * allowed it. Wakes on the injected clock at the next due time (at most every `maxSleepMs`, so a long
 * sleep or a changed schedule is picked up), asks `source` for the occurrences due now or later, and shows
 * each due one once (its tag is the occurrence key, so a browser also collapses duplicates).
 */
import type { Clock, TimerId } from '../clock.ts';
import type { NotificationPort, NotificationPermissionState } from './notificationPort.ts';
import { occurrenceKey, type Occurrence } from './programmeSchedule.ts';

export type NotifierStatus = 'unsupported' | NotificationPermissionState;

export interface ProgrammeNotifierOptions {
  clock: Clock;
  port: NotificationPort | null;
  /** Occurrences due now or later that are not yet done, in time order (e.g. from nextDue/occurrencesBetween). */
  source: (nowWallMs: number) => Promise<Occurrence[]>;
  /** Text of a notification. */
  describe?: (occurrence: Occurrence) => { title: string; body: string };
  /** Longest single sleep, ms. Default 1 h. */
  maxSleepMs?: number;
}

export class ProgrammeNotifier {
  readonly #clock: Clock;
  readonly #port: NotificationPort | null;
  readonly #source: ProgrammeNotifierOptions['source'];
  readonly #describe: NonNullable<ProgrammeNotifierOptions['describe']>;
  readonly #maxSleepMs: number;
  readonly #shown = new Set<string>();
  #timer: TimerId | null = null;
  #running = false;

  constructor(options: ProgrammeNotifierOptions) {
    this.#clock = options.clock;
    this.#port = options.port;
    this.#source = options.source;
    this.#maxSleepMs = options.maxSleepMs ?? 3_600_000;
    this.#describe =
      options.describe ??
      ((o) => ({ title: 'StimBench: session due', body: `Programme ${o.programmeId}, day ${o.dayIndex + 1}, ${o.slotId}: ${o.presetId}${o.intensity === 'night' ? ' (night intensity)' : ''}` }));
  }

  get status(): NotifierStatus {
    return this.#port ? this.#port.permission() : 'unsupported';
  }

  /** Ask for permission (call from a user gesture). */
  async requestPermission(): Promise<NotifierStatus> {
    if (!this.#port) return 'unsupported';
    return this.#port.requestPermission();
  }

  /** Start watching. Safe to call again after the schedule or records change: it re-plans at once. */
  async start(): Promise<void> {
    this.#running = true;
    await this.#wake();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #wake(): Promise<void> {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#running) return;
    const now = this.#clock.wallNow();
    let sleepMs = this.#maxSleepMs;
    for (const occurrence of await this.#source(now)) {
      const key = occurrenceKey(occurrence);
      if (this.#shown.has(key)) continue;
      if (occurrence.dueWallMs <= now) {
        if (now < occurrence.windowEndWallMs && this.#port?.permission() === 'granted') {
          const { title, body } = this.#describe(occurrence);
          this.#port.show(title, { body, tag: key });
          this.#shown.add(key);
        }
        continue;
      }
      sleepMs = Math.min(sleepMs, occurrence.dueWallMs - now);
      break;
    }
    if (!this.#running) return;
    this.#timer = this.#clock.setTimeout(() => void this.#wake(), Math.max(1, sleepMs));
  }
}
