/**
 * No stop path waits on anything: a reducing command (stop, pause, lower, ESTOP) goes out at once even
 * when a raise is parked behind a record store that hangs, and that raise is never sent after it. A
 * record that cannot be written ends the session (ramped STOP, outcome fault, reason given) within one
 * summary-flush period. A STOP sent from outside the session (the app disconnecting) ends it as stopped.
 * Real client and simulated board on one virtual clock, except where a scripted device is clearer.
 */
import { describe, expect, test } from 'vitest';
import { ALL_CHANNELS, type HostMessage } from '../../firmware-protocol/src/index.ts';
import { VirtualClock } from '../../hardware-mock/src/clock.ts';
import { SessionEngine } from '../../src/lib/session/SessionEngine.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import { freshDb, plan, PROGRAM } from '../storage/helpers.ts';
import { FakeDevice } from './FakeDevice.ts';
import { rig, type Rig } from './rig.ts';

const TITRATION = { startUa: 5_000, stepUa: 1_000, maxUa: 10_000 };

const OUTPUT_COMMANDS = new Set(['setProgram', 'start', 'stop', 'setAmplitude', 'estop']);

/** Every frame that can change output the board received, in order. */
function framesIn(r: Rig): HostMessage[] {
  const frames: HostMessage[] = [];
  r.board.onFrame((direction, message) => {
    if (direction === 'in' && OUTPUT_COMMANDS.has(message.type)) frames.push(message as HostMessage);
  });
  return frames;
}

function settles(promise: Promise<unknown>): { readonly done: boolean } {
  const state = { done: false };
  promise.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
}

async function titratingAt5mA(r: Rig, engine: SessionEngine): Promise<void> {
  const starting = engine.start(plan({ ...PROGRAM, amplitudeUa: 10_000 }, { titration: TITRATION }));
  await r.clock.advance(50);
  await starting;
  await r.runUntil(() => r.board.outputUa(0) === 5_000, 10_000, 100);
  expect(engine.state).toBe('titrating');
  expect(r.board.outputUa(0)).toBe(5_000);
}

describe('a reducing command never waits behind a raise or storage', () => {
  test('titrating at 5 mA, record writes hang: raise() then stop(): STOP reaches the board, stop() settles, the raise is never sent', async () => {
    const r = await rig();
    const engine = r.engine();
    await titratingAt5mA(r, engine);
    const frames = framesIn(r);
    // Storage hangs from now on: the raise parks in its write-ahead.
    r.store.appendEvent = () => new Promise(() => {});
    r.store.putSummary = () => new Promise(() => {});
    const raising = settles(engine.raise());
    await r.clock.advance(100);
    const stopping = settles(engine.stop());
    await r.clock.advance(200);
    expect(frames.map((f) => f.type)).toContain('stop');
    expect(stopping.done).toBe(true);
    // The parked raise was cancelled, not sent after the stop.
    expect(raising.done).toBe(true);
    await r.clock.advance(10_000);
    expect(frames.filter((f) => f.type === 'setAmplitude')).toEqual([]);
    expect(r.board.outputUa(0)).toBe(0);
    expect(engine.state).toBe('done');
    await r.close();
  });

  test('lower() and pause() go out at once past a raise parked on a hung store; the raise is never sent', async () => {
    const clock = new VirtualClock();
    const device = new FakeDevice(clock);
    const { db } = await freshDb('stop-never-waits');
    const store = new RecordStore(db);
    const engine = new SessionEngine({ device, store, clock });
    const starting = engine.start(plan(PROGRAM, { titration: { startUa: 3_000, stepUa: 1_000, maxUa: 8_000 } }));
    await clock.advance(0);
    await starting;
    store.appendEvent = () => new Promise(() => {});
    const raising = settles(engine.raise());
    await clock.settle();
    const lowering = settles(engine.lower());
    await clock.settle();
    expect(device.callNames()).toEqual(['setProgram', 'start', 'setAmplitude']);
    expect(device.calls.at(-1)?.args).toEqual([0, 2_000]);
    expect(lowering.done).toBe(true);
    expect(raising.done).toBe(true);
    expect(engine.snapshot.levelUa).toBe(2_000);
    // Another raise parks; pause cuts past it.
    const raising2 = settles(engine.raise());
    await clock.settle();
    const pausing = settles(engine.pause());
    await clock.settle();
    expect(device.callNames()).toEqual(['setProgram', 'start', 'setAmplitude', 'stop']);
    expect(pausing.done).toBe(true);
    expect(raising2.done).toBe(true);
    await clock.advance(5_000);
    expect(device.callNames()).toEqual(['setProgram', 'start', 'setAmplitude', 'stop']);
    db.close();
  });

  test('the backstop STOP for a board running past its end goes out while storage hangs', async () => {
    const clock = new VirtualClock();
    const device = new FakeDevice(clock);
    device.neverIdle = true;
    const { db } = await freshDb('stop-never-waits');
    const store = new RecordStore(db);
    const engine = new SessionEngine({ device, store, clock, backstopGraceMs: 3_000 });
    const starting = engine.start(plan());
    await clock.advance(0);
    await starting;
    await clock.advance(PROGRAM.durationMs - 1_000);
    store.appendEvent = () => new Promise(() => {});
    await clock.advance(1_000 + 3_000 + 1_000);
    expect(device.callNames()).toEqual(['setProgram', 'start', 'stop']);
    db.close();
  });
});

describe('a record that cannot be written ends the session', () => {
  const FLUSH_S = 10;
  const HOLD_PROGRAM = { ...PROGRAM, amplitudeUa: 12_000, durationMs: 600_000 };

  async function holding(r: Rig, engine: SessionEngine): Promise<void> {
    const starting = engine.start(plan(HOLD_PROGRAM));
    await r.clock.advance(50);
    await starting;
    await r.runUntil(() => engine.state === 'holding', 10_000, 100);
    await r.clock.advance(5_000);
    expect(r.board.outputUa(0)).toBe(12_000);
  }

  test('every write rejecting during a hold: ramped STOP within one summary-flush period, outcome fault, the reason in the message', async () => {
    const r = await rig();
    const engine = r.engine({ summaryFlushSeconds: FLUSH_S });
    await holding(r, engine);
    const frames = framesIn(r);
    const quota = () => Promise.reject(new DOMException('the disk is full', 'QuotaExceededError'));
    r.store.appendEvent = quota;
    r.store.putSummary = quota;
    r.store.closeRecord = quota;
    await r.runUntil(() => frames.some((f) => f.type === 'stop'), FLUSH_S * 1000, 100);
    expect(frames.map((f) => f.type)).toEqual(['stop']); // a ramped STOP, not an ESTOP
    await r.runUntil(() => engine.state === 'done', HOLD_PROGRAM.rampDownMs + 1_000, 100);
    expect(r.board.outputUa(0)).toBe(0);
    expect(engine.snapshot.outcome).toBe('fault');
    expect(engine.snapshot.message).toMatch(/record could not be written \(the disk is full\)/);
    const closing = settles(engine.finished);
    await r.runUntil(() => closing.done, 5_000, 50);
    await expect(engine.finished).rejects.toThrow('the disk is full');
    await r.close();
  });

  test('a store that stops answering during a hold counts as failed: the session is stopped, not left running unrecorded', async () => {
    const r = await rig();
    const engine = r.engine({ summaryFlushSeconds: FLUSH_S });
    await holding(r, engine);
    const frames = framesIn(r);
    r.store.appendEvent = () => new Promise(() => {});
    r.store.putSummary = () => new Promise(() => {});
    await r.runUntil(() => frames.some((f) => f.type === 'stop'), 2 * FLUSH_S * 1000 + 1_000, 100);
    expect(frames.map((f) => f.type)).toEqual(['stop']);
    await r.runUntil(() => r.board.outputUa(0) === 0, HOLD_PROGRAM.rampDownMs + 1_000, 100);
    expect(engine.snapshot.outcome).toBe('fault');
    expect(engine.snapshot.message).toMatch(/no write has completed/);
    await r.close();
  });
});

describe('a STOP from outside the session', () => {
  test('disconnecting the client mid-hold ramps the output down and the record says stopped, not completed', async () => {
    const r = await rig();
    const engine = r.engine();
    const starting = engine.start(plan({ ...PROGRAM, durationMs: 600_000 }));
    await r.clock.advance(50);
    await starting;
    await r.runUntil(() => engine.state === 'holding', 10_000, 100);
    const frames = framesIn(r);
    const disconnecting = settles(r.client.disconnect());
    await r.runUntil(() => disconnecting.done, 10_000, 50);
    expect(frames.map((f) => f.type)).toContain('stop');
    expect(frames.find((f) => f.type === 'stop')).toMatchObject({ channel: ALL_CHANNELS });
    expect(r.board.outputUa(0)).toBe(0);
    let settled = false;
    engine.finished.then(
      () => (settled = true),
      () => (settled = true),
    );
    await r.runUntil(() => settled, 5_000, 50);
    const record = await engine.finished;
    expect(record).toMatchObject({ outcome: 'stopped', stopReason: 'user' });
    expect(record.outcomeMessage).toMatch(/disconnect/);
    await r.close();
  });
});
