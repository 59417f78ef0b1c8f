/**
 * The Programmes screen's state: the catalogue's programmes (built-in and imported), the enrolments
 * (the session layer's EnrolmentStore), the records that make adherence, and programme notifications.
 *
 * Every status is computed by the session layer (enrolmentView.ts, programmeSchedule.ts) from (programme,
 * enrolment, records, now, time zone), never stored, so the calendar always agrees with the records. One instance per services object
 * (`programmesFor`), so the notifier keeps running after the screen is left.
 */
import { BUILTIN_PRESETS } from '../../lib/presets/builtinPresets.ts';
import { BUILTIN_PROGRAMMES } from '../../lib/presets/builtinProgrammes.ts';
import { CatalogueStore, type CatalogueEntry } from '../../lib/presets/CatalogueStore.ts';
import type { Preset, Programme } from '../../lib/presets/types.ts';
import { catalogueTables } from '../../lib/storage/catalogueTables.ts';
import { systemClock, type Clock } from '../../lib/clock.ts';
import { DEFAULT_DAILY_CAP_MS, dailyUsageMs } from '../../lib/session/dailyUsage.ts';
import { DEFAULT_PARTICIPANT } from '../../lib/session/participant.ts';
import type { Enrolment } from '../../lib/session/Enrolment.ts';
import { EnrolmentStore } from '../../lib/session/EnrolmentStore.ts';
import { browserNotificationPort, type NotificationPort } from '../../lib/session/notificationPort.ts';
import { ProgrammeNotifier, type NotifierStatus } from '../../lib/session/ProgrammeNotifier.ts';
import { calendarWeek, dueOrUpcoming, enrolmentView, mondayOf, type CalendarDay, type EnrolmentView } from '../../lib/session/enrolmentView.ts';
import type { Occurrence } from '../../lib/session/programmeSchedule.ts';
import { localDayStart, localTimeZone, toLocalMs, type TimeZone } from '../../lib/session/timeZone.ts';
import { notificationChoice } from '../../lib/storage/settingsTable.ts';
import type { SessionRecord } from '../../lib/session/recordTypes.ts';
import type { AppServices } from './services.svelte.ts';
import { errorText } from '../format.ts';

/** What Programmes needs of the app services (an AppServices instance fits; tests pass a plain object). */
export type ProgrammesServices = Pick<AppServices, 'store' | 'db' | 'recordsVersion' | 'storageError'>;

export interface ProgrammesOptions {
  /** Wall time for statuses, and timers for the notifier. Default: the system clock. */
  clock?: Clock;
  timeZone?: TimeZone;
  newId?: () => string;
  /** The Notifications API port; null where there is none. Default: the browser's, if any. */
  notificationPort?: NotificationPort | null;
  /** Daily cap shown for the participant, ms. Default 12 h per 24 h, the engine's default. */
  dailyCapMs?: number;
  /** The participant the cap is shown for (read on every use). Default "self". */
  participant?: () => string;
}

// The calendar's rules live in the session layer; their types are exported here too, where the screens look.
export { mondayOf, type CalendarDay, type EnrolmentState, type EnrolmentView } from '../../lib/session/enrolmentView.ts';

const message = errorText;

export class ProgrammesState {
  readonly #services: ProgrammesServices;
  readonly #clock: Clock;
  readonly tz: TimeZone;
  readonly #newId: () => string;
  readonly #port: NotificationPort | null;
  readonly dailyCapMs: number;
  readonly #participant: () => string;
  #programmes = $state<CatalogueEntry<Programme>[]>(BUILTIN_PROGRAMMES.map((item) => ({ item, builtin: true })));
  #presets = $state<Preset[]>([...BUILTIN_PRESETS]);
  #enrolments = $state<Enrolment[]>([]);
  #records = $state<SessionRecord[]>([]);
  #now = $state(0);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #notify = $state(false);
  #notifyStatus = $state<NotifierStatus>('unsupported');
  #notifier: ProgrammeNotifier | null = null;
  #loadToken = 0;

  constructor(services: ProgrammesServices, options: ProgrammesOptions = {}) {
    this.#services = services;
    this.#clock = options.clock ?? systemClock;
    this.tz = options.timeZone ?? localTimeZone;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    this.#port = options.notificationPort === undefined ? browserNotificationPort() : options.notificationPort;
    this.dailyCapMs = options.dailyCapMs ?? DEFAULT_DAILY_CAP_MS;
    this.#participant = options.participant ?? (() => DEFAULT_PARTICIPANT);
    this.#now = this.#clock.wallNow();
    this.#notifyStatus = this.#port ? this.#port.permission() : 'unsupported';
  }

  get programmes(): CatalogueEntry<Programme>[] {
    return this.#programmes;
  }
  get enrolments(): Enrolment[] {
    return this.#enrolments;
  }
  get records(): SessionRecord[] {
    return this.#records;
  }
  get nowWallMs(): number {
    return this.#now;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }
  get notificationsOn(): boolean {
    return this.#notify;
  }
  get notificationStatus(): NotifierStatus {
    return this.#notifyStatus;
  }
  get canEnrol(): boolean {
    // `store` is reactive in AppServices (`db` is not) and is set after `db`, so read it first.
    return this.#services.store !== null && this.#services.db !== null;
  }

  programme(id: string): Programme | null {
    return this.#programmes.find((e) => e.item.id === id)?.item ?? null;
  }
  preset(id: string): Preset | null {
    return this.#presets.find((p) => p.id === id) ?? null;
  }
  presetName(id: string): string {
    return this.preset(id)?.name ?? id;
  }

  /** Re-read the wall clock (the screen calls this every minute, so "due" turns into "missed" on time). */
  tick(): void {
    this.#now = this.#clock.wallNow();
  }

  async load(): Promise<void> {
    const db = this.#services.db;
    const store = this.#services.store;
    if (!db || !store) return;
    const token = ++this.#loadToken;
    try {
      const catalogue = new CatalogueStore(catalogueTables(db));
      const [programmes, presets, enrolments, records, notify] = await Promise.all([
        catalogue.programmes(),
        catalogue.presets(),
        new EnrolmentStore(db).list(),
        store.listRecords(),
        notificationChoice(db).get(),
      ]);
      if (token !== this.#loadToken) return;
      this.#programmes = programmes;
      this.#presets = presets.map((e) => e.item);
      this.#enrolments = enrolments.sort((a, b) => b.startedWallMs - a.startedWallMs);
      this.#records = records;
      this.#error = null;
      this.#now = this.#clock.wallNow();
      // Resume notifications chosen earlier, but only if the browser still allows them.
      if (notify && this.#port?.permission() === 'granted') {
        this.#notify = true;
        await this.#startNotifier();
      } else if (this.#notify) await this.#startNotifier();
    } catch (e) {
      if (token === this.#loadToken) this.#error = message(e);
    } finally {
      if (token === this.#loadToken) this.#loaded = true;
    }
  }

  /**
   * Enrol a channel in a programme. Day 0 is the local date of `startWallMs`; slots of that day before
   * it are not part of the course. Refused while the same channel is already active in the same programme.
   */
  async enrol(programmeId: string, channel: number, startWallMs: number = this.#clock.wallNow(), options: { nightSessions?: boolean } = {}): Promise<Enrolment> {
    const db = this.#services.db;
    if (!db) throw new Error('cannot enrol: the record store is not open');
    if (!this.programme(programmeId)) throw new Error(`cannot enrol: expected a programme in the catalogue, got "${programmeId}"`);
    const clash = this.#enrolments.find((e) => e.programmeId === programmeId && e.channel === channel && this.view(e).state === 'active');
    if (clash) throw new Error(`channel ${channel + 1} is already enrolled in this programme (since ${new Date(clash.startedWallMs).toLocaleDateString()}); leave that enrolment first`);
    const enrolment = await new EnrolmentStore(db, this.#newId).enrol(programmeId, channel, startWallMs, options);
    this.#enrolments = [enrolment, ...this.#enrolments];
    if (this.#notify) await this.#startNotifier();
    return enrolment;
  }

  /** Stop following a programme: nothing after now is due. The past stays for adherence. */
  async leave(enrolmentId: string): Promise<void> {
    const db = this.#services.db;
    const current = this.#enrolments.find((e) => e.id === enrolmentId);
    if (!db || !current || current.endedWallMs !== null) return;
    const ended = await new EnrolmentStore(db).end(enrolmentId, this.#clock.wallNow());
    this.#enrolments = this.#enrolments.map((e) => (e.id === enrolmentId ? ended : e));
    if (this.#notify) await this.#startNotifier();
  }

  /** Everything the screen shows about one enrolment, at the current `nowWallMs`. */
  view(enrolment: Enrolment): EnrolmentView {
    return enrolmentView(this.programme(enrolment.programmeId), enrolment, this.#records, this.#now, this.tz);
  }

  /** Local midnight (local ms) of the Monday of the week holding `wallMs`. */
  weekStartLocalMs(wallMs: number): number {
    return mondayOf(localDayStart(wallMs, this.tz));
  }

  /** The 7 days of the week starting at `weekStartLocalMs`, each with its slots and their statuses. */
  week(enrolment: Enrolment, weekStartLocalMs: number): CalendarDay[] {
    return calendarWeek(this.programme(enrolment.programmeId), enrolment, this.#records, weekStartLocalMs, this.#now, this.tz);
  }

  /** The participant's stimulation in the last 24 h over every channel, from the stored records (the engine's daily-cap rule). */
  dailyUsedMs(): number {
    return dailyUsageMs(this.#records, this.#participant(), this.#now);
  }

  /** Local clock reading of an instant, local ms (for labels). */
  localMs(wallMs: number): number {
    return toLocalMs(wallMs, this.tz);
  }

  /** Turn due-session notifications on (asks the browser for permission: call from a click) or off. */
  async setNotifications(on: boolean): Promise<void> {
    const db = this.#services.db;
    if (!on) {
      this.#notify = false;
      this.#notifier?.stop();
      if (db) await notificationChoice(db).set(false);
      return;
    }
    if (!this.#port) {
      this.#notifyStatus = 'unsupported';
      return;
    }
    const status = this.#port.permission() === 'granted' ? 'granted' : await this.#port.requestPermission();
    this.#notifyStatus = status;
    this.#notify = status === 'granted';
    if (db) await notificationChoice(db).set(this.#notify);
    if (this.#notify) await this.#startNotifier();
  }

  /** Stop background work (the notifier). */
  dispose(): void {
    this.#notifier?.stop();
  }

  async #startNotifier(): Promise<void> {
    this.#notifier ??= new ProgrammeNotifier({
      clock: this.#clock,
      port: this.#port,
      source: (now) => this.#dueOrUpcoming(now),
      describe: (o) => ({
        title: 'StimBench: a programme session is due',
        body: `${this.programme(o.programmeId)?.name ?? o.programmeId}: day ${o.dayIndex + 1}, ${o.slotId}, ${this.presetName(o.presetId)}${o.intensity === 'night' ? ' (night intensity)' : ''}`,
      }),
    });
    await this.#notifier.start();
  }

  /** Occurrences not yet done, due now or later (the next week), over every active enrolment, in time order. */
  async #dueOrUpcoming(nowWallMs: number): Promise<Occurrence[]> {
    const records = (await this.#services.store?.listRecords()) ?? this.#records;
    return dueOrUpcoming(this.#enrolments, (id) => this.programme(id), records, nowWallMs, this.tz);
  }
}

const instances = new WeakMap<object, ProgrammesState>();

/** The one ProgrammesState of a services object (created on first use with `options`). */
export function programmesFor(services: ProgrammesServices, options: ProgrammesOptions = {}): ProgrammesState {
  let state = instances.get(services);
  if (!state) {
    state = new ProgrammesState(services, options);
    instances.set(services, state);
  }
  return state;
}
