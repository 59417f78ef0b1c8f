import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../hardware-mock/src/clock.ts';
import { doseFromSummaries } from '../../src/lib/session/doseFromSummaries.ts';
import { openStimbenchDb } from '../../src/lib/storage/openStimbenchDb.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import type { RecordEvent } from '../../src/lib/session/recordTypes.ts';
import { SessionRecorder } from '../../src/lib/session/SessionRecorder.ts';
import { freshDb, recordOf, telemetry } from './helpers.ts';

const ev = (recordId: string, index: number, extra: Partial<RecordEvent> = {}): RecordEvent =>
  ({ kind: 'warning', message: `e${index}`, recordId, index, monoMs: index, wallMs: 1000 + index, ...extra }) as RecordEvent;

describe('RecordStore', () => {
  test('a record, its events in order, and a closed header', async () => {
    const { db } = await freshDb();
    const store = new RecordStore(db);
    await store.createRecord(recordOf('a'));
    for (let i = 0; i < 5; i++) await store.appendEvent(ev('a', i));
    await store.appendEvent(ev('b', 0)); // another record's events stay apart
    expect((await store.getEvents('a')).map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    await expect(store.appendEvent(ev('a', 2))).rejects.toThrow(); // an index is written once
    const closed = await store.closeRecord('a', {
      outcome: 'completed',
      stopReason: null,
      message: 'done',
      endedMonoMs: 10,
      endedWallMs: 2000,
      dose: [],
      targetUa: 1000,
      outcomeEvent: { kind: 'outcome', outcome: 'completed', stopReason: null, message: 'done', recordId: 'a', index: 5, monoMs: 10, wallMs: 2000 },
      summaries: [],
      eventCount: 6,
      summaryChunkCount: 0,
    });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'completed', eventCount: 6 });
    expect(await store.getRecord('a')).toEqual(closed);
    db.close();
  });

  test('closing twice is refused and changes nothing', async () => {
    const { db } = await freshDb();
    const store = new RecordStore(db);
    await store.createRecord(recordOf('a', { status: 'closed', outcome: 'stopped' }));
    const input = {
      outcome: 'completed' as const,
      stopReason: null,
      message: '',
      endedMonoMs: 0,
      endedWallMs: 0,
      dose: [],
      targetUa: null,
      outcomeEvent: ev('a', 0),
      summaries: [],
      eventCount: 1,
      summaryChunkCount: 0,
    };
    await expect(store.closeRecord('a', input)).rejects.toMatchObject({ code: 'RECORD_CLOSED' });
    await expect(store.closeRecord('missing', input)).rejects.toMatchObject({ code: 'RECORD_NOT_FOUND' });
    expect(await store.getEvents('a')).toEqual([]);
    expect((await store.getRecord('a'))!.outcome).toBe('stopped');
    db.close();
  });

  test('pain ratings are NRS 0–10, stored in the header and as an event', async () => {
    const { db } = await freshDb();
    const store = new RecordStore(db);
    await store.createRecord(recordOf('a'));
    await store.appendEvent(ev('a', 0));
    const updated = await store.setPain('a', 'post', 3, 50, 5000);
    expect(updated.pain).toEqual({ pre: null, post: 3 });
    expect((await store.getEvents('a')).at(-1)).toMatchObject({ kind: 'pain', when: 'post', nrs: 3, index: 1 });
    await expect(store.setPain('a', 'post', 11, 0, 0)).rejects.toBeInstanceOf(RangeError);
    await expect(store.setPain('a', 'pre', 2.5, 0, 0)).rejects.toBeInstanceOf(RangeError);
    db.close();
  });

  test('recordsTouching returns closed records ending in the window and every open one', async () => {
    const { db } = await freshDb();
    const store = new RecordStore(db);
    await store.createRecord(recordOf('old', { status: 'closed', endedWallMs: 1_000 }));
    await store.createRecord(recordOf('recent', { status: 'closed', endedWallMs: 9_000 }));
    await store.createRecord(recordOf('open'));
    expect((await store.recordsTouching(5_000)).map((r) => r.id).sort()).toEqual(['open', 'recent']);
    db.close();
  });

  test('recoverInterrupted closes open records as interrupted, keeps every event, recomputes the dose, never resumes', async () => {
    const { db, name } = await freshDb();
    const clock = new VirtualClock();
    const store = new RecordStore(db);
    const recorder = await SessionRecorder.create(store, clock, recordOf('crash'), { flushEverySeconds: 1 });
    await recorder.append({ kind: 'user', action: 'start' });
    await recorder.append({ kind: 'phase', from: 'idle', to: 'ramping-up' });
    for (let t = 0; t < 3_000; t += 50) recorder.telemetry(telemetry(0, t, 50, () => 4000));
    await recorder.drain();
    // Summaries are written on their own chain (never delaying an event): wait until the flushed seconds
    // are on disk, however slow the machine, before the crash.
    for (let i = 0; i < 500; i++) {
      const chunks = await store.getSummaries('crash');
      if (chunks.length > 0 && doseFromSummaries(chunks, 0, recordOf('crash').plan.program).activeMs >= 2000) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    // Crash: the page dies. Flushed writes are on disk; the recorder object is gone.
    db.close();
    const reopened = new RecordStore(await openStimbenchDb({ name }));
    await reopened.createRecord(recordOf('finished', { status: 'closed', outcome: 'completed', endedWallMs: 1 }));
    const recoveredAt = Date.UTC(2026, 0, 2);
    expect(await reopened.recoverInterrupted(recoveredAt)).toEqual(['crash']);
    const full = await reopened.getFull('crash');
    expect(full.record).toMatchObject({ status: 'closed', outcome: 'interrupted', endedWallMs: recoveredAt, eventCount: 4 });
    expect(full.events.map((e) => e.kind)).toEqual(['user', 'phase', 'interrupted', 'outcome']);
    expect(full.events[2]!.kind === 'interrupted' && full.events[2]!.message).toContain('never resumed');
    // 2 s of summaries were flushed (each second is flushed once it is over): 2000 active samples at 4 mA.
    expect(full.record.dose[0]!.activeMs).toBeGreaterThanOrEqual(2000);
    expect(full.record.dose[0]!.amplitudeIntegralUaMs).toBe(full.record.dose[0]!.activeMs * 4000);
    expect(await reopened.recoverInterrupted(recoveredAt)).toEqual([]); // idempotent
    expect((await reopened.getRecord('finished'))!.outcome).toBe('completed');
    reopened.db.close();
  });

  test('deleteRecord removes the header, events and summaries', async () => {
    const { db } = await freshDb();
    const store = new RecordStore(db);
    const recorder = await SessionRecorder.create(store, new VirtualClock(), recordOf('x'), { flushEverySeconds: 1 });
    await recorder.append({ kind: 'user', action: 'start' });
    recorder.telemetry(telemetry(0, 0, 2000, () => 1));
    await recorder.close('completed', null, 'ok', 1);
    expect((await store.getSummaries('x')).length).toBe(1);
    await store.deleteRecord('x');
    expect(await store.getRecord('x')).toBeUndefined();
    expect(await store.getEvents('x')).toEqual([]);
    expect(await store.getSummaries('x')).toEqual([]);
    db.close();
  });
});

describe('SessionRecorder', () => {
  test('events get consecutive indexes and both clocks; drain waits for all of them', async () => {
    const { db } = await freshDb();
    const store = new RecordStore(db);
    const clock = new VirtualClock({ startWallMs: 1_000_000 });
    const recorder = await SessionRecorder.create(store, clock, recordOf('r'));
    await clock.advance(25);
    const pending = [recorder.append({ kind: 'user', action: 'start' }), recorder.append({ kind: 'warning', message: 'x' })];
    await recorder.drain();
    const events = await store.getEvents('r');
    expect(events.map((e) => [e.index, e.monoMs, e.wallMs])).toEqual([
      [0, 25, 1_000_025],
      [1, 25, 1_000_025],
    ]);
    expect((await Promise.all(pending)).map((e) => e.index)).toEqual([0, 1]);
    db.close();
  });

  test('each append resolves only once its event is readable from the store (write-ahead)', async () => {
    const { db } = await freshDb();
    const store = new RecordStore(db);
    const recorder = await SessionRecorder.create(store, new VirtualClock(), recordOf('r'));
    for (let i = 0; i < 20; i++) {
      const event = await recorder.append({ kind: 'warning', message: `m${i}` });
      const stored = await store.getEvents('r');
      expect(stored.at(-1)).toEqual(event);
    }
    db.close();
  });

  test('a failed write sets failure; later appends and drain reject', async () => {
    const { db } = await freshDb();
    const store = new RecordStore(db);
    const recorder = await SessionRecorder.create(store, new VirtualClock(), recordOf('r'));
    const original = store.appendEvent.bind(store);
    store.appendEvent = async () => {
      throw new DOMException('disk full', 'QuotaExceededError');
    };
    await expect(recorder.append({ kind: 'warning', message: 'x' })).rejects.toThrow('disk full');
    store.appendEvent = original;
    await expect(recorder.append({ kind: 'warning', message: 'y' })).rejects.toThrow('disk full');
    await expect(recorder.drain()).rejects.toThrow('disk full');
    expect(recorder.failure?.name).toBe('QuotaExceededError');
    db.close();
  });

  test('summaries: complete minutes written as they complete, the partial one at close', async () => {
    const { db } = await freshDb();
    const store = new RecordStore(db);
    const recorder = await SessionRecorder.create(store, new VirtualClock(), recordOf('r'), { flushEverySeconds: 1000 });
    for (let t = 0; t < 125_000; t += 50) recorder.telemetry(telemetry(0, t, 50, () => 3000));
    await recorder.drain();
    await new Promise((r) => setTimeout(r, 20));
    expect((await store.getSummaries('r')).map((c) => c.firstSecond)).toEqual([0, 60]);
    const closed = await recorder.close('completed', null, 'ok', 3000);
    const chunks = await store.getSummaries('r');
    expect(chunks.map((c) => [c.firstSecond, c.seconds])).toEqual([
      [0, 60],
      [60, 60],
      [120, 5],
    ]);
    expect(closed.summaryChunkCount).toBe(3);
    expect(closed.dose[0]).toMatchObject({ activeMs: 125_000, amplitudeIntegralUaMs: 375_000_000, samples: 125_000 });
    expect((await store.getEvents('r')).at(-1)).toMatchObject({ kind: 'outcome', outcome: 'completed' });
    await expect(recorder.append({ kind: 'warning', message: 'late' })).rejects.toMatchObject({ code: 'RECORD_CLOSED' });
    db.close();
  });
});
