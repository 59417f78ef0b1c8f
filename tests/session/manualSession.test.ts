/**
 * Manual sessions (the Control screen's Start): the same engine, record store, caps and events as any
 * session, with the amplitude moved live through setLevel(): raises written ahead and never above the
 * ceiling fixed at the start, decreases at once even when storage hangs.
 */
import { describe, expect, test, vi } from 'vitest';
import { VirtualClock } from '../../hardware-mock/src/clock.ts';
import { SessionEngine } from '../../src/lib/session/SessionEngine.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import type { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';
import { ManualSessionsState, manualPlan } from '../../src/ui/state/manualSessions.svelte.ts';
import { freshDb, plan, PROGRAM } from '../storage/helpers.ts';
import { FakeDevice } from './FakeDevice.ts';

async function setup() {
  const clock = new VirtualClock();
  const device = new FakeDevice(clock);
  const { db } = await freshDb('manual');
  const store = new RecordStore(db);
  const engine = new SessionEngine({ device, store, clock });
  const startAndSettle = async (p = manualPlan({ ...PROGRAM, durationMs: 10 * 60_000 })) => {
    const started = engine.start(p);
    await clock.advance(0);
    await started;
  };
  return { clock, device, db, store, engine, startAndSettle };
}

describe('manual sessions through the engine', () => {
  test('a manual start is a recorded session: plan marked manual, participant, live level changes and the stop in its events', async () => {
    const t = await setup();
    await t.startAndSettle();
    await t.clock.advance(3_000);
    expect(t.engine.state).toBe('holding');
    await t.engine.setLevel(14_000);
    await t.engine.setLevel(9_000);
    await t.engine.stop();
    await t.clock.advance(3_000);
    const record = await t.engine.finished;
    expect(record).toMatchObject({ status: 'closed', outcome: 'stopped', stopReason: 'user', participant: 'self', targetUa: 9_000 });
    expect(record.plan).toMatchObject({ manual: true, presetId: null, label: 'Manual — channel 1' });
    const events = await t.store.getEvents(record.id);
    const levels = events.filter((e) => e.kind === 'user' && e.action === 'set-level').map((e) => (e.kind === 'user' ? e.valueUa : null));
    expect(levels).toEqual([14_000, 9_000]);
    expect(t.device.callNames()).toEqual(['setProgram', 'start', 'setAmplitude', 'setAmplitude', 'stop']);
    t.db.close();
  });

  test('write-ahead: a raise is sent only after its event is durable, and not at all while storage hangs', async () => {
    const t = await setup();
    await t.startAndSettle();
    await t.clock.advance(3_000);
    let raiseChecked = false;
    t.device.onCall = async (call) => {
      if (call.name !== 'setAmplitude' || raiseChecked) return;
      const events = await t.store.getEvents(t.engine.recordId!);
      expect(events.filter((e) => e.kind === 'command').at(-1)).toMatchObject({ command: 'setAmplitude', amplitudeUa: 12_000 });
      raiseChecked = true;
    };
    await t.engine.setLevel(12_000);
    expect(raiseChecked).toBe(true);
    t.device.onCall = null;
    // Storage hangs from now on: a raise waits (never sent), a decrease is sent at once.
    t.store.appendEvent = () => new Promise(() => {});
    void t.engine.setLevel(15_000).catch(() => {});
    await t.clock.settle();
    expect(t.device.calls.filter((c) => c.name === 'setAmplitude').map((c) => c.args[1])).toEqual([12_000]);
    t.db.close();
  });

  test('a decrease goes out while storage hangs', async () => {
    const t = await setup();
    await t.startAndSettle();
    await t.clock.advance(3_000);
    t.store.appendEvent = () => new Promise(() => {});
    void t.engine.setLevel(4_000);
    await t.clock.settle();
    expect(t.device.calls.filter((c) => c.name === 'setAmplitude').map((c) => c.args[1])).toEqual([4_000]);
    t.db.close();
  });

  test('a decrease goes out past a raise parked on hung storage, and that raise is never sent', async () => {
    const t = await setup();
    await t.startAndSettle();
    await t.clock.advance(3_000);
    t.store.appendEvent = () => new Promise(() => {});
    void t.engine.setLevel(t.engine.snapshot.levelUa + 1_000).catch(() => {}); // parked in its write-ahead
    await t.clock.settle();
    void t.engine.setLevel(4_000);
    await t.clock.settle();
    await t.clock.advance(1_000);
    expect(t.device.calls.filter((c) => c.name === 'setAmplitude').map((c) => c.args[1])).toEqual([4_000]);
    t.db.close();
  });

  test('above the ceiling fixed at the start is refused with nothing sent; setLevel is refused for a preset session', async () => {
    const t = await setup();
    await t.startAndSettle();
    await t.clock.advance(3_000);
    const ceilingUa = (await t.store.getRecord(t.engine.recordId!))!.limits.amplitudeCeiling.value;
    await expect(t.engine.setLevel(ceilingUa + 100)).rejects.toMatchObject({ code: 'LEVEL_REFUSED' });
    await expect(t.engine.setLevel(2.5)).rejects.toMatchObject({ code: 'LEVEL_REFUSED' });
    expect(t.device.callNames()).toEqual(['setProgram', 'start']);
    await t.engine.estop();
    t.db.close();

    const u = await setup();
    await u.startAndSettle(plan());
    await u.clock.advance(3_000);
    await expect(u.engine.setLevel(5_000)).rejects.toMatchObject({ code: 'BAD_STATE' });
    expect(u.device.callNames()).toEqual(['setProgram', 'start']);
    u.db.close();
  });
});

describe('ManualSessionsState (the Control screen state)', () => {
  const connectionWith = (device: FakeDevice | null) => ({ device }) as unknown as BoardConnectionState;

  test('Start runs a manual session for the current participant in the shared store, and queues it for lab sync once closed', async () => {
    const clock = new VirtualClock();
    const device = new FakeDevice(clock);
    const { db } = await freshDb('manual-store');
    const store = new RecordStore(db);
    let queued = 0;
    const services = { store, storageError: null, recordsChanged: () => {}, queueFinishedForSync: async () => void queued++ };
    const manual = new ManualSessionsState(connectionWith(device), services, () => 'p03');
    await manual.start({ ...PROGRAM, channel: 1 });
    expect(manual.error(1)).toBe(null);
    expect(manual.active(1)).toBe(true);
    const [record] = await store.listRecords();
    expect(record).toMatchObject({ participant: 'p03', plan: { manual: true, program: { channel: 1 } } });
    expect(device.callNames()).toEqual(['setProgram', 'start']);
    await expect(manual.setLevel(0, 5_000)).rejects.toThrow(/no manual session runs on channel 1/);
    await device.estop();
    await vi.waitFor(() => expect(queued).toBe(1), { timeout: 5_000 });
    expect(manual.active(1)).toBe(false);
    db.close();
  });

  test('without a record store nothing is sent and the reason is shown', async () => {
    const device = new FakeDevice(new VirtualClock());
    const services = { store: null, storageError: 'IndexedDB unavailable', recordsChanged: () => {}, queueFinishedForSync: async () => {} };
    const manual = new ManualSessionsState(connectionWith(device), services, () => 'self');
    await manual.start(PROGRAM);
    expect(manual.error(0)).toMatch(/Not started: records cannot be stored \(IndexedDB unavailable\)/);
    expect(device.calls).toEqual([]);
  });
});
