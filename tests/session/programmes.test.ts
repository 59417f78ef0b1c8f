/** Programme schedules: occurrences, due-next, adherence, the daily-cap budget, and the notifier. */
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../hardware-mock/src/clock.ts';
import { BUILTIN_PROGRAMMES } from '../../src/lib/presets/builtinProgrammes.ts';
import { hasNightSlots, isNightSlot } from '../../src/lib/presets/nightSlots.ts';
import { dailyBudgetMs, dailyUsageMs } from '../../src/lib/session/dailyUsage.ts';
import type { Enrolment } from '../../src/lib/session/Enrolment.ts';
import { EnrolmentStore } from '../../src/lib/session/EnrolmentStore.ts';
import { browserNotificationPort, type NotificationPort } from '../../src/lib/session/notificationPort.ts';
import { adherence, nextDue, occurrencesBetween, type Occurrence } from '../../src/lib/session/programmeSchedule.ts';
import { ProgrammeNotifier } from '../../src/lib/session/ProgrammeNotifier.ts';
import { fixedTimeZone, fromLocalMs, toLocalMs, type TimeZone } from '../../src/lib/session/timeZone.ts';
import type { SessionOutcome, SessionRecord } from '../../src/lib/session/recordTypes.ts';
import { freshDb, recordOf } from '../storage/helpers.ts';

const H = 3_600_000;
const UTC = fixedTimeZone(0);
const weekly = BUILTIN_PROGRAMMES.find((p) => p.id === 'weekly-conventional-4-week')!;
const wearable = BUILTIN_PROGRAMMES.find((p) => p.id === 'wearable-day-night-60-day')!;
const pdn = BUILTIN_PROGRAMMES.find((p) => p.id === 'pdn-4-week')!;
// Monday 5 January 2026, 08:00 UTC.
const MONDAY_8 = Date.UTC(2026, 0, 5, 8);
const enrol = (programmeId: string, startedWallMs = MONDAY_8): Enrolment => ({ id: 'e1', programmeId, channel: 0, startedWallMs, endedWallMs: null });

function sessionFor(o: Occurrence, outcome: SessionOutcome, id = `${o.dayIndex}-${o.slotId}`): SessionRecord {
  return recordOf(id, {
    status: 'closed',
    outcome,
    createdWallMs: o.dueWallMs + 60_000,
    endedWallMs: o.dueWallMs + 31 * 60_000,
    plan: { ...recordOf(id).plan, programmeRef: { enrolmentId: o.enrolmentId, programmeId: o.programmeId, dayIndex: o.dayIndex, slotId: o.slotId } },
    dose: [{ channel: 0, activeMs: 30 * 60_000, amplitudeIntegralUaMs: 0, chargeUc: 0, peakUa: 0, samples: 0, sampleIntervalUs: 1000 }],
  });
}

describe('occurrences', () => {
  test('weekly course: Mon/Wed/Fri at 10:00 for 4 weeks = 12 sessions', () => {
    const all = occurrencesBetween(weekly, enrol(weekly.id), -Infinity, Infinity, UTC);
    expect(all).toHaveLength(12);
    expect(all.map((o) => new Date(o.dueWallMs).getUTCDay())).toEqual(Array(4).fill([1, 3, 5]).flat());
    expect(all[0]!.dueWallMs).toBe(Date.UTC(2026, 0, 5, 10));
    expect(all.at(-1)!.dayIndex).toBe(25);
  });

  test('wearable with night sessions turned on: 9 sessions a day, night slots flagged, none before the moment of enrolment', () => {
    const withNights = { ...enrol(wearable.id), nightSessions: true };
    const day0 = occurrencesBetween(wearable, withNights, -Infinity, MONDAY_8 + 24 * H, UTC);
    // Enrolled at 08:00: the 01:00, 03:00 and 05:00 slots of day 0 are not part of the course.
    expect(day0.filter((o) => o.dayIndex === 0).map((o) => o.slotId)).toEqual(['day-8', 'day-11', 'day-14', 'day-17', 'day-20', 'bedtime-23']);
    const day1 = occurrencesBetween(wearable, withNights, -Infinity, Infinity, UTC).filter((o) => o.dayIndex === 1);
    expect(day1).toHaveLength(9);
    expect(day1.filter((o) => o.intensity === 'night').map((o) => o.slotId)).toEqual(['night-1', 'night-3', 'night-5']);
  });

  test('night slots are off by default: the wearable schedule has only its 5 daytime sessions, and no night slot is ever due', () => {
    const all = occurrencesBetween(wearable, enrol(wearable.id), -Infinity, Infinity, UTC);
    const day1 = all.filter((o) => o.dayIndex === 1);
    expect(day1.map((o) => o.slotId)).toEqual(['day-8', 'day-11', 'day-14', 'day-17', 'day-20']);
    // Neither the night-intensity slots nor the 23:00 bedtime slot (22:00–06:59 is night).
    expect(all.some((o) => isNightSlot(wearable.slots.find((s) => s.id === o.slotId)!))).toBe(false);
    // Nothing is due at 01:10 on day 1: the next thing to do is the 08:00 session.
    expect(nextDue(wearable, enrol(wearable.id), [], MONDAY_8 + 17 * H + 10 * 60_000, UTC)).toMatchObject({ status: 'upcoming', occurrence: { slotId: 'day-8', dayIndex: 1 } });
  });

  test('night slots: marked night intensity, or starting 22:00–06:59 local time', () => {
    expect(isNightSlot({ intensity: 'night', startMinuteOfDay: 12 * 60 })).toBe(true);
    expect(isNightSlot({ intensity: 'day', startMinuteOfDay: 22 * 60 })).toBe(true);
    expect(isNightSlot({ intensity: 'day', startMinuteOfDay: 6 * 60 + 59 })).toBe(true);
    expect(isNightSlot({ intensity: 'day', startMinuteOfDay: 7 * 60 })).toBe(false);
    expect(isNightSlot({ intensity: 'day', startMinuteOfDay: 21 * 60 + 59 })).toBe(false);
    expect(BUILTIN_PROGRAMMES.filter(hasNightSlots).map((p) => p.id)).toEqual(['wearable-day-night-60-day']);
  });

  test('EnrolmentStore: night sessions are stored off unless asked for', async () => {
    const { db } = await freshDb('night');
    const store = new EnrolmentStore(db, () => 'n1');
    expect(await store.enrol(wearable.id, 0, MONDAY_8)).toMatchObject({ nightSessions: false });
    const on = new EnrolmentStore(db, () => 'n2');
    expect(await on.enrol(wearable.id, 1, MONDAY_8, { nightSessions: true })).toMatchObject({ nightSessions: true });
    db.close();
  });

  test('local time: slots follow the time zone, including across a DST change', () => {
    const cet = fixedTimeZone(60);
    const first = occurrencesBetween(pdn, enrol(pdn.id), -Infinity, Infinity, cet)[0]!;
    expect(first.dueWallMs).toBe(Date.UTC(2026, 0, 5, 8)); // 09:00 CET
    // A zone that moves from +60 to +120 at 2026-03-29 01:00 UTC (EU summer time).
    const eu: TimeZone = { offsetMinutes: (ms) => (ms >= Date.UTC(2026, 2, 29, 1) ? 120 : 60) };
    const march = occurrencesBetween(pdn, enrol(pdn.id, Date.UTC(2026, 2, 27, 12)), -Infinity, Infinity, eu);
    expect(march.map((o) => new Date(o.dueWallMs).toISOString().slice(0, 16))).toEqual(expect.arrayContaining(['2026-03-28T08:00', '2026-03-29T07:00', '2026-03-30T07:00']));
    expect(fromLocalMs(toLocalMs(Date.UTC(2026, 5, 1, 12), eu), eu)).toBe(Date.UTC(2026, 5, 1, 12));
  });

  test('an ended enrolment has nothing due after its end', () => {
    const e = { ...enrol(pdn.id), endedWallMs: MONDAY_8 + 3 * 24 * H };
    expect(occurrencesBetween(pdn, e, -Infinity, Infinity, UTC)).toHaveLength(3);
  });
});

describe('due next and adherence', () => {
  test('due, then upcoming; completed / partial / missed per slot', () => {
    const e = enrol(weekly.id);
    const all = occurrencesBetween(weekly, e, -Infinity, Infinity, UTC);
    expect(nextDue(weekly, e, [], MONDAY_8, UTC)).toMatchObject({ status: 'upcoming', occurrence: { dayIndex: 0 } });
    expect(nextDue(weekly, e, [], Date.UTC(2026, 0, 5, 11), UTC)).toMatchObject({ status: 'due', occurrence: { dayIndex: 0 } });
    // Monday completed, Wednesday stopped early, Friday missed; now the next Monday at 09:00.
    const records = [sessionFor(all[0]!, 'completed'), sessionFor(all[1]!, 'stopped')];
    const now = Date.UTC(2026, 0, 12, 9);
    const report = adherence(weekly, e, records, now, UTC);
    expect(report.occurrences.slice(0, 4).map((r) => r.status)).toEqual(['completed', 'partial', 'missed', 'upcoming']);
    expect(report).toMatchObject({ completed: 1, partial: 1, missed: 1 });
    expect(report.rate).toBeCloseTo(1 / 3, 10);
    expect(report.occurrences[0]!.recordIds).toEqual(['0-session']);
    expect(nextDue(weekly, e, records, now, UTC)).toMatchObject({ status: 'upcoming', occurrence: { dayIndex: 7 } });
    // A completed session for the due slot moves "next" on.
    const done = [...records, sessionFor(all[3]!, 'completed')];
    expect(nextDue(weekly, e, done, Date.UTC(2026, 0, 12, 10, 30), UTC)!.occurrence.dayIndex).toBe(9);
    // After the course: nothing due, and no rate before any session time has passed.
    expect(nextDue(weekly, e, [], Date.UTC(2026, 2, 1), UTC)).toBeNull();
    expect(adherence(weekly, e, [], MONDAY_8, UTC).rate).toBeNull();
  });

  test('an open record makes its slot in-progress', () => {
    const e = enrol(weekly.id);
    const first = occurrencesBetween(weekly, e, -Infinity, Infinity, UTC)[0]!;
    const open = { ...sessionFor(first, 'completed'), status: 'open' as const, outcome: null };
    expect(adherence(weekly, e, [open], first.dueWallMs + 60_000, UTC).occurrences[0]!.status).toBe('in-progress');
  });
});

describe('daily usage', () => {
  const now = Date.UTC(2026, 0, 2, 12);
  const rec = (id: string, startH: number, endH: number, activeH: number, channel = 0, participant: string | null = 'self') =>
    recordOf(id, {
      status: 'closed',
      outcome: 'completed',
      createdWallMs: now - startH * H,
      endedWallMs: now - endH * H,
      plan: { ...recordOf(id).plan, program: { ...recordOf(id).plan.program, channel } },
      ...(participant !== null ? { participant } : {}),
      dose: [{ channel, activeMs: activeH * H, amplitudeIntegralUaMs: 0, chargeUc: 0, peakUa: 0, samples: 0, sampleIntervalUs: 1000 }],
    });

  test('counts each record by min(active time, overlap with the rolling 24 h), per participant over every channel', () => {
    const records = [rec('a', 5, 3, 2), rec('b', 26, 22, 4), rec('c', 30, 25, 5), rec('d', 2, 1, 1, 1), rec('e', 2, 1, 1, 0, 'p02')];
    // a: 2 h; b: overlap 2 h of its 4 active; c: outside; d: the same person on channel 2; e: another person.
    expect(dailyUsageMs(records, 'self', now)).toBe(5 * H);
    expect(dailyUsageMs(records, 'p02', now)).toBe(1 * H);
    expect(dailyBudgetMs(records, 'self', now)).toBe(7 * H);
    expect(dailyBudgetMs([rec('big', 14, 0, 13)], 'self', now)).toBe(0);
  });

  test('two channels on one person: overlapping time is added, not merged (6 h + 6 h at once = the whole 12 h cap)', () => {
    // Both channels stimulating the same 6 h at the same time.
    const overlapping = [rec('ch1', 8, 2, 6, 0), rec('ch2', 8, 2, 6, 1)];
    expect(dailyUsageMs(overlapping, 'self', now)).toBe(12 * H);
    expect(dailyBudgetMs(overlapping, 'self', now)).toBe(0);
    // The same 6 h on each channel one after the other counts the same.
    const disjoint = [rec('ch1', 14, 8, 6, 0), rec('ch2', 8, 2, 6, 1)];
    expect(dailyUsageMs(disjoint, 'self', now)).toBe(12 * H);
    expect(dailyBudgetMs(disjoint, 'self', now)).toBe(0);
    // Another participant on the same bench is untouched by either.
    expect(dailyBudgetMs([...overlapping, ...disjoint], 'p01', now)).toBe(12 * H);
  });

  test('a record without a participant code (made before codes existed) counts against every participant', () => {
    const legacy = [rec('old', 5, 1, 4, 0, null)];
    expect(dailyUsageMs(legacy, 'self', now)).toBe(4 * H);
    expect(dailyUsageMs(legacy, 'p01', now)).toBe(4 * H);
  });

  test('an open record (a session running elsewhere) counts the larger of its overlap so far and its whole planned time', () => {
    const open = recordOf('open', { createdWallMs: now - 2 * H, participant: 'self' });
    expect(dailyUsageMs([open], 'self', now)).toBe(2 * H);
    const justStarted = recordOf('new', { createdWallMs: now - 60_000, participant: 'self', plan: { ...recordOf('new').plan, program: { ...recordOf('new').plan.program, durationMs: 6 * H } } });
    expect(dailyUsageMs([justStarted], 'self', now)).toBe(6 * H);
    expect(dailyUsageMs([justStarted], 'p01', now)).toBe(0);
  });
});

describe('ProgrammeNotifier', () => {
  class FakePort implements NotificationPort {
    state: 'granted' | 'denied' | 'default' = 'default';
    shown: { title: string; body: string; tag: string }[] = [];
    permission() {
      return this.state;
    }
    async requestPermission() {
      this.state = 'granted';
      return this.state;
    }
    show(title: string, options: { body: string; tag: string }) {
      this.shown.push({ title, ...options });
    }
  }

  test('notifies each due session once, at its time, when permitted', async () => {
    const clock = new VirtualClock({ startWallMs: MONDAY_8 });
    const port = new FakePort();
    const e = enrol(weekly.id);
    const records: SessionRecord[] = [];
    const notifier = new ProgrammeNotifier({
      clock,
      port,
      maxSleepMs: 6 * H,
      source: async (now) => occurrencesBetween(weekly, e, now - weekly.windowMinutes * 60_000, now + 8 * 24 * H, UTC).filter((o) => nextDue(weekly, e, records, now, UTC) !== null),
    });
    expect(notifier.status).toBe('default');
    expect(await notifier.requestPermission()).toBe('granted');
    await notifier.start();
    await clock.advance(2 * H - 1); // 09:59:59.999
    expect(port.shown).toHaveLength(0);
    await clock.advance(1);
    expect(port.shown).toHaveLength(1);
    expect(port.shown[0]!.tag).toBe('e1/0/session');
    await clock.advance(3 * H); // still in the window: not shown again
    expect(port.shown).toHaveLength(1);
    await clock.advance(2 * 24 * H); // Wednesday's session
    expect(port.shown.map((s) => s.tag)).toEqual(['e1/0/session', 'e1/2/session']);
    notifier.stop();
    await clock.advance(3 * 24 * H);
    expect(port.shown).toHaveLength(2);
  });

  test('no notification without permission, and none where the API is missing', async () => {
    const clock = new VirtualClock({ startWallMs: MONDAY_8 });
    const port = new FakePort();
    port.state = 'denied';
    const e = enrol(weekly.id);
    const notifier = new ProgrammeNotifier({ clock, port, source: async (now) => occurrencesBetween(weekly, e, now - H, now + 24 * H, UTC) });
    await notifier.start();
    await clock.advance(4 * H);
    expect(port.shown).toEqual([]);
    notifier.stop();
    expect(browserNotificationPort({})).toBeNull();
    const none = new ProgrammeNotifier({ clock, port: null, source: async () => [] });
    expect(none.status).toBe('unsupported');
    expect(await none.requestPermission()).toBe('unsupported');
  });

  test('browserNotificationPort wraps the Notification API', async () => {
    const created: unknown[] = [];
    class FakeNotification {
      static permission = 'granted' as const;
      static async requestPermission() {
        return 'granted' as const;
      }
      constructor(title: string, options: unknown) {
        created.push([title, options]);
      }
    }
    const port = browserNotificationPort({ Notification: FakeNotification })!;
    expect(port.permission()).toBe('granted');
    port.show('t', { body: 'b', tag: 'x' });
    expect(created).toEqual([['t', { body: 'b', tag: 'x' }]]);
  });
});

describe('EnrolmentStore', () => {
  test('enrol, list and end', async () => {
    const { db } = await freshDb('enrol');
    const store = new EnrolmentStore(db, () => 'id-1');
    const e = await store.enrol('pdn-4-week', 1, MONDAY_8);
    expect(await store.list()).toEqual([e]);
    expect((await store.end('id-1', MONDAY_8 + H)).endedWallMs).toBe(MONDAY_8 + H);
    await expect(store.end('nope', 0)).rejects.toBeInstanceOf(RangeError);
    db.close();
  });
});
