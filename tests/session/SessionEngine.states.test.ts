/**
 * The engine's state machine against a scripted device: transitions, write-ahead ordering, stop and
 * ESTOP precedence, faults, the backstop, refusals, the daily cap and the site reminder.
 */
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../hardware-mock/src/clock.ts';
import { SessionRefusedError } from '../../src/lib/session/errors.ts';
import { SessionEngine, type SessionEngineOptions } from '../../src/lib/session/SessionEngine.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import type { RecordEvent, SessionState } from '../../src/lib/session/recordTypes.ts';
import { freshDb, plan, PROGRAM, recordOf } from '../storage/helpers.ts';
import { FakeDevice } from './FakeDevice.ts';

async function setup(options: Partial<SessionEngineOptions> = {}) {
  const clock = new VirtualClock();
  const device = new FakeDevice(clock);
  const { db } = await freshDb('engine');
  const store = new RecordStore(db);
  const engine = new SessionEngine({ device, store, clock, ...options });
  const states: SessionState[] = [];
  engine.onChange((s) => {
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  const until = async (cond: () => boolean, maxMs: number, stepMs = 100) => {
    const end = clock.now() + maxMs;
    while (!cond() && clock.now() < end) await clock.advance(stepMs);
  };
  /** Advance until the session's record is closed (the engine waits for trailing telemetry on the clock). */
  const finish = async (maxMs = 5_000) => {
    let settled = false;
    const result = engine.finished.then(
      (r) => {
        settled = true;
        return r;
      },
      (e: unknown) => {
        settled = true;
        throw e;
      },
    );
    result.catch(() => {});
    await until(() => settled, maxMs, 50);
    return result;
  };
  const startAndSettle = async (p = plan(), opts = {}) => {
    const started = engine.start(p, opts);
    await clock.advance(0);
    await started;
  };
  return { clock, device, db, store, engine, states, until, startAndSettle, finish };
}

const kinds = (events: RecordEvent[]) => events.map((e) => e.kind);

describe('SessionEngine: a normal session', () => {
  test('idle → ramping-up → holding → ramping-down → done, outcome completed', async () => {
    const t = await setup();
    await t.startAndSettle();
    expect(t.engine.state).toBe('ramping-up');
    await t.until(() => t.engine.state === 'done', 70_000);
    const record = await t.finish();
    expect(t.states).toEqual(['ramping-up', 'holding', 'ramping-down', 'done']);
    expect(record).toMatchObject({ status: 'closed', outcome: 'completed', stopReason: null, targetUa: PROGRAM.amplitudeUa });
    expect(record.board).toMatchObject({ firmwareVersion: '1.2.3', serialNumber: 'FAKE-1' });
    expect(record.limits.amplitudeCeiling.value).toBeGreaterThanOrEqual(PROGRAM.amplitudeUa);
    expect(t.device.callNames()).toEqual(['setProgram', 'start']);
    const events = await t.store.getEvents(record.id);
    expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.kind === 'phase').map((e) => (e.kind === 'phase' ? e.to : ''))).toEqual(['ramping-up', 'holding', 'ramping-down', 'done']);
    expect(events.at(-1)).toMatchObject({ kind: 'outcome', outcome: 'completed' });
    expect(record.eventCount).toBe(events.length);
    // Listeners are gone once the session is closed.
    expect(t.device.listenerCount()).toBe(0);
    t.db.close();
  });

  test('write-ahead: SET_PROGRAM, START and raising SET_AMPLITUDE are sent only after their event is durable', async () => {
    const t = await setup();
    const checked: string[] = [];
    t.device.onCall = async (call) => {
      if (!['setProgram', 'start', 'setAmplitude'].includes(call.name)) return;
      const recordId = t.engine.recordId!;
      const events = await t.store.getEvents(recordId);
      const commands = events.filter((e) => e.kind === 'command');
      expect(commands.at(-1)).toMatchObject({ kind: 'command', command: call.name });
      checked.push(call.name);
    };
    await t.startAndSettle(plan(PROGRAM, { titration: { startUa: 2000, stepUa: 1000, maxUa: 5000 } }));
    await t.engine.raise();
    await t.engine.raise();
    expect(checked).toEqual(['setProgram', 'start', 'setAmplitude', 'setAmplitude']);
    t.db.close();
  });

  test('a STOP never waits for storage', async () => {
    const t = await setup();
    await t.startAndSettle();
    await t.clock.advance(5_000);
    // Storage hangs from now on.
    t.store.appendEvent = () => new Promise(() => {});
    void t.engine.stop();
    await t.clock.settle();
    expect(t.device.callNames()).toEqual(['setProgram', 'start', 'stop']);
    t.db.close();
  });

  test('pre pain rating goes into the record; the post rating is added after the end', async () => {
    const t = await setup();
    await t.startAndSettle(plan(), { painPre: 7 });
    await t.until(() => t.engine.state === 'done', 70_000);
    await t.finish();
    const after = await t.engine.ratePainAfter(3);
    expect(after.pain).toEqual({ pre: 7, post: 3 });
    const events = await t.store.getEvents(after.id);
    expect(events.filter((e) => e.kind === 'pain').map((e) => (e.kind === 'pain' ? [e.when, e.nrs] : []))).toEqual([
      ['pre', 7],
      ['post', 3],
    ]);
    await expect(t.engine.ratePainAfter(11)).rejects.toBeInstanceOf(RangeError);
    t.db.close();
  });
});

describe('SessionEngine: titration', () => {
  test('raise in steps up to the maximum, lower, accept: the reached value becomes the target', async () => {
    const t = await setup();
    await t.startAndSettle(plan(PROGRAM, { titration: { startUa: 2000, stepUa: 1500, maxUa: 5000 } }));
    expect(t.engine.state).toBe('titrating');
    expect((t.device.calls[0]!.args[0] as { amplitudeUa: number }).amplitudeUa).toBe(2000);
    await t.engine.raise();
    await t.engine.raise();
    await t.engine.raise(); // capped at 5000
    await t.engine.raise(); // no-op at the maximum
    await t.engine.lower();
    const amps = t.device.calls.filter((c) => c.name === 'setAmplitude').map((c) => c.args[1]);
    expect(amps).toEqual([3500, 5000, 3500]);
    await t.clock.advance(3_000); // the board holds
    expect(t.engine.state).toBe('titrating');
    await t.engine.acceptTitration();
    expect(t.engine.state).toBe('holding');
    expect(t.engine.snapshot).toMatchObject({ targetUa: 3500, titrating: false });
    await expect(t.engine.raise()).rejects.toMatchObject({ code: 'BAD_STATE' });
    await t.until(() => t.engine.state === 'done', 70_000);
    expect((await t.finish()).targetUa).toBe(3500);
    t.db.close();
  });

  test('a titration maximum above the ceiling is refused before anything is sent', async () => {
    const t = await setup();
    await expect(t.engine.start(plan(PROGRAM, { titration: { startUa: 2000, stepUa: 1000, maxUa: PROGRAM.amplitudeUa + 1 } }))).rejects.toMatchObject({ code: 'PLAN_INVALID' });
    expect(t.device.calls).toEqual([]);
    expect(await t.store.listRecords()).toEqual([]);
    t.db.close();
  });
});

describe('SessionEngine: pause and resume', () => {
  test('pause ramps to zero; resume sends the remaining duration and starts from zero again', async () => {
    const t = await setup();
    await t.startAndSettle();
    await t.clock.advance(20_000);
    expect(t.engine.state).toBe('holding');
    await t.engine.pause();
    expect(t.engine.state).toBe('pausing');
    await t.until(() => t.engine.state === 'paused', 5_000);
    const elapsedAtPause = t.engine.snapshot.elapsedMs;
    expect(elapsedAtPause).toBeGreaterThanOrEqual(20_000 + PROGRAM.rampDownMs);
    await t.clock.advance(60_000); // paused time does not count
    expect(t.engine.snapshot.elapsedMs).toBe(elapsedAtPause);
    await t.engine.resume();
    const resumed = t.device.calls.filter((c) => c.name === 'setProgram')[1]!.args[0] as typeof PROGRAM;
    expect(resumed.durationMs).toBe(PROGRAM.durationMs - elapsedAtPause);
    expect(resumed.amplitudeUa).toBe(PROGRAM.amplitudeUa);
    expect(t.device.callNames()).toEqual(['setProgram', 'start', 'stop', 'setProgram', 'start']);
    expect(t.engine.state).toBe('ramping-up');
    await t.until(() => t.engine.state === 'done', 70_000);
    const record = await t.finish();
    expect(record.outcome).toBe('completed');
    expect(t.engine.snapshot.elapsedMs).toBe(PROGRAM.durationMs);
    expect(t.states).toEqual(['ramping-up', 'holding', 'pausing', 'paused', 'ramping-up', 'holding', 'ramping-down', 'done']);
    t.db.close();
  });

  test('pause is refused when nothing is running; stop while paused ends the session without a command', async () => {
    const t = await setup();
    await expect(t.engine.pause()).rejects.toMatchObject({ code: 'BAD_STATE' });
    await t.startAndSettle();
    await t.clock.advance(5_000);
    await t.engine.pause();
    await t.until(() => t.engine.state === 'paused', 5_000);
    await t.engine.stop();
    await t.until(() => t.engine.state === 'done', 1_000);
    expect((await t.finish())).toMatchObject({ outcome: 'stopped', stopReason: 'user' });
    expect(t.device.callNames()).toEqual(['setProgram', 'start', 'stop']);
    t.db.close();
  });
});

describe('SessionEngine: stop', () => {
  test.each(['ramping-up', 'holding'] as const)('stop in %s ramps down, then outcome stopped', async (state) => {
    const t = await setup();
    await t.startAndSettle();
    await t.until(() => t.engine.state === state, 10_000, 10);
    await t.engine.stop();
    expect(t.engine.state).toBe('ramping-down');
    await t.until(() => t.engine.state === 'done', 5_000);
    expect(await t.finish()).toMatchObject({ outcome: 'stopped', stopReason: 'user' });
    t.db.close();
  });

  test('a stop pressed while the start is still being written wins: START is never sent', async () => {
    const t = await setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    t.device.onCall = async (call) => {
      if (call.name === 'setProgram') await gate;
    };
    const starting = t.engine.start(plan());
    while (t.device.calls.length === 0) await t.clock.settle();
    const stopping = t.engine.stop();
    release();
    await starting;
    await stopping;
    await t.until(() => t.engine.state === 'done', 1_000);
    expect(t.device.callNames()).toEqual(['setProgram']);
    expect(await t.finish()).toMatchObject({ outcome: 'stopped' });
    t.db.close();
  });
});

describe('SessionEngine: ESTOP', () => {
  const reach: Record<string, (t: Awaited<ReturnType<typeof setup>>) => Promise<void>> = {
    idle: async () => {},
    titrating: async (t) => t.startAndSettle(plan(PROGRAM, { titration: { startUa: 2000, stepUa: 1000, maxUa: 5000 } })),
    'ramping-up': async (t) => t.startAndSettle(),
    holding: async (t) => {
      await t.startAndSettle();
      await t.clock.advance(5_000);
    },
    'ramping-down': async (t) => {
      await t.startAndSettle();
      await t.until(() => t.engine.state === 'ramping-down', 70_000, 100);
    },
    pausing: async (t) => {
      await t.startAndSettle();
      await t.clock.advance(5_000);
      await t.engine.pause();
    },
    paused: async (t) => {
      await t.startAndSettle();
      await t.clock.advance(5_000);
      await t.engine.pause();
      await t.until(() => t.engine.state === 'paused', 5_000);
    },
    done: async (t) => {
      await t.startAndSettle();
      await t.until(() => t.engine.state === 'done', 70_000);
      await t.finish();
    },
  };

  test.each(Object.keys(reach))('from %s: the ESTOP is sent synchronously, before anything is written', async (state) => {
    const t = await setup();
    await reach[state]!(t);
    expect(t.engine.state).toBe(state);
    // Let every write already under way land, so the count below moves only if ESTOP waited for one.
    let writesBefore = -1;
    for (;;) {
      await t.clock.advance(0);
      const n = t.engine.recordId ? (await t.store.getEvents(t.engine.recordId)).length : 0;
      if (n === writesBefore) break;
      writesBefore = n;
    }
    const before = t.device.calls.length;
    const estopping = t.engine.estop();
    // Synchronously: the device has the ESTOP before the engine awaited anything.
    expect(t.device.calls.slice(before).map((c) => c.name)).toEqual(['estop']);
    if (t.engine.recordId) expect((await t.store.getEvents(t.engine.recordId)).length).toBe(writesBefore);
    await estopping;
    expect(t.engine.state).toBe(state === 'idle' ? 'idle' : 'done');
    if (state !== 'idle' && state !== 'done') {
      const record = await t.finish();
      expect(record.outcome).toBe('estopped');
      const events = await t.store.getEvents(record.id);
      expect(events.some((e) => e.kind === 'user' && e.action === 'estop')).toBe(true);
      expect(events.some((e) => e.kind === 'command' && e.command === 'estop')).toBe(true);
    }
    if (state === 'done') expect((await t.finish()).outcome).toBe('completed');
    t.db.close();
  });

  test('an ESTOP while a raising command is being written: that command is never sent', async () => {
    const t = await setup();
    await t.startAndSettle(plan(PROGRAM, { titration: { startUa: 2000, stepUa: 1000, maxUa: 5000 } }));
    const realAppend = t.store.appendEvent.bind(t.store);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    t.store.appendEvent = async (event) => {
      if (event.kind === 'command' && event.command === 'setAmplitude') await gate;
      return realAppend(event);
    };
    const raising = t.engine.raise().catch(() => {});
    await t.clock.settle();
    await t.engine.estop();
    release();
    await raising;
    await t.clock.advance(1_000);
    expect(t.device.callNames()).toEqual(['setProgram', 'start', 'estop']);
    expect((await t.finish()).outcome).toBe('estopped');
    t.db.close();
  });
});

describe('SessionEngine: faults, lost link, backstop, storage failure', () => {
  test('a board fault ends the session with outcome fault and an ESTOP to the whole board', async () => {
    const t = await setup();
    await t.startAndSettle();
    await t.clock.advance(5_000);
    t.device.fault({ source: 'board', code: 'electrodeOff', channel: 0, message: 'electrode off' });
    await t.until(() => t.engine.state === 'done', 1_000);
    const record = await t.finish();
    expect(record.outcome).toBe('fault');
    expect(t.device.callNames().at(-1)).toBe('estop');
    const events = await t.store.getEvents(record.id);
    expect(events.find((e) => e.kind === 'fault')).toMatchObject({ code: 'electrodeOff', source: 'board' });
    t.db.close();
  });

  test('a lost connection ends the session as connection-lost (no ESTOP can be sent)', async () => {
    const t = await setup();
    await t.startAndSettle();
    await t.clock.advance(5_000);
    t.device.lose();
    await t.clock.advance(10);
    expect(t.engine.state).toBe('done');
    expect((await t.finish()).outcome).toBe('connection-lost');
    expect(t.device.callNames()).not.toContain('estop');
    t.db.close();
  });

  test('backstop: a board that runs past its programmed end gets a STOP, then an ESTOP', async () => {
    const t = await setup({ backstopGraceMs: 3_000 });
    t.device.neverIdle = true;
    await t.startAndSettle();
    await t.clock.advance(PROGRAM.durationMs + 2_000);
    expect(t.device.callNames()).toEqual(['setProgram', 'start']);
    await t.clock.advance(2_000);
    expect(t.device.callNames()).toEqual(['setProgram', 'start', 'stop']);
    await t.until(() => t.engine.state === 'done', 10_000);
    expect(t.device.callNames()).toEqual(['setProgram', 'start', 'stop', 'estop']);
    const record = await t.finish();
    expect(record.outcome).toBe('fault');
    const limits = (await t.store.getEvents(record.id)).filter((e) => e.kind === 'limit');
    expect(limits.map((e) => (e.kind === 'limit' ? e.limit : ''))).toEqual(['host-backstop', 'host-backstop']);
    t.db.close();
  });

  test('a record that cannot be written stops the session: ramped STOP, the raise never sent, outcome fault', async () => {
    const t = await setup();
    await t.startAndSettle(plan(PROGRAM, { titration: { startUa: 2000, stepUa: 1000, maxUa: 5000 } }));
    t.store.appendEvent = async () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    await t.engine.raise().catch(() => {});
    expect(t.device.callNames()).toEqual(['setProgram', 'start', 'stop']);
    expect(t.engine.state).toBe('ramping-down');
    await t.until(() => t.engine.state === 'done', PROGRAM.rampDownMs + 1_000);
    expect(t.engine.snapshot.outcome).toBe('fault');
    expect(t.engine.snapshot.message).toMatch(/record could not be written \(quota\)/);
    // The header could still be closed: it says why the session ended.
    expect(await t.finish()).toMatchObject({ outcome: 'fault', outcomeMessage: expect.stringMatching(/record could not be written/) });
    t.db.close();
  });

  test('a START the board refuses ends the session as stopped (device-refused), nothing left running', async () => {
    const t = await setup();
    t.device.failNext.start = Object.assign(new Error('impedanceFail'), { code: 'NACK' });
    await t.startAndSettle();
    await t.until(() => t.engine.state === 'done', 1_000);
    const record = await t.finish();
    expect(record).toMatchObject({ outcome: 'stopped', stopReason: 'device-refused' });
    const events = await t.store.getEvents(record.id);
    expect(events.find((e) => e.kind === 'command-error')).toMatchObject({ command: 'start', errorCode: 'NACK' });
    t.db.close();
  });
});

describe('SessionEngine: refusals and limits', () => {
  test('refused before anything is sent: device not ready, plan over the mode limit', async () => {
    const t = await setup();
    t.device.state = 'faulted';
    await expect(t.engine.start(plan())).rejects.toMatchObject({ code: 'DEVICE_NOT_READY' });
    t.device.state = 'ready';
    // Brief-intense TENS: 15 min at most in one session.
    const tooLong = { ...PROGRAM, mode: 'brief-intense' as const, frequencyDeciHz: 1000, pulseWidthUs: 200, durationMs: 16 * 60_000 };
    const error = await t.engine.start(plan(tooLong)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionRefusedError);
    expect((error as SessionRefusedError).message).toMatch(/durationMs/);
    expect(t.device.calls).toEqual([]);
    expect(await t.store.listRecords()).toEqual([]);
    t.db.close();
  });

  test('daily cap: refused when used up; truncated and stopped at the cap when partly used', async () => {
    const t = await setup();
    const now = t.clock.wallNow();
    const used = (ms: number) =>
      recordOf(`used-${ms}`, {
        status: 'closed',
        outcome: 'completed',
        createdWallMs: now - 13 * 3_600_000,
        endedWallMs: now - 60_000,
        dose: [{ channel: 0, activeMs: ms, amplitudeIntegralUaMs: 0, chargeUc: 0, peakUa: 0, samples: 0, sampleIntervalUs: 1000 }],
      });
    await t.store.createRecord(used(12 * 3_600_000 - 3_000)); // 3 s left: less than a ramp up and down needs
    await expect(t.engine.start(plan({ ...PROGRAM, durationMs: 3_600_000 }))).rejects.toMatchObject({ code: 'DAILY_CAP' });
    expect(t.device.calls).toEqual([]);
    await t.store.deleteRecord(`used-${12 * 3_600_000 - 3_000}`);
    await t.store.createRecord(used(12 * 3_600_000 - 10 * 60_000)); // 10 min left
    await t.startAndSettle(plan({ ...PROGRAM, durationMs: 3_600_000 }));
    expect((t.device.calls[0]!.args[0] as typeof PROGRAM).durationMs).toBe(10 * 60_000);
    await t.until(() => t.engine.state === 'done', 3_600_000, 1_000);
    const record = await t.finish();
    expect(record).toMatchObject({ outcome: 'stopped', stopReason: 'daily-cap' });
    expect(t.engine.snapshot.elapsedMs).toBe(10 * 60_000);
    t.db.close();
  });

  test('move-the-electrodes reminder after 4 h on one site; electrodesMoved restarts the site clock', async () => {
    const t = await setup({ tickMs: 1_000 });
    const long = { ...PROGRAM, durationMs: 10 * 3_600_000 };
    await t.startAndSettle(plan(long));
    await t.clock.advance(4 * 3_600_000 - 5_000);
    expect(t.engine.snapshot.moveElectrodesDue).toBe(false);
    await t.clock.advance(10_000);
    expect(t.engine.snapshot.moveElectrodesDue).toBe(true);
    await t.engine.electrodesMoved();
    expect(t.engine.snapshot.moveElectrodesDue).toBe(false);
    await t.clock.advance(3 * 3_600_000);
    expect(t.engine.snapshot.moveElectrodesDue).toBe(false);
    await t.clock.advance(3_600_000 + 5_000);
    expect(t.engine.snapshot.moveElectrodesDue).toBe(true);
    await t.engine.stop();
    await t.until(() => t.engine.state === 'done', 10_000);
    const events = await t.store.getEvents((await t.finish()).id);
    const reminders = events.filter((e) => e.kind === 'reminder');
    expect(reminders).toHaveLength(2);
    expect(events.some((e) => e.kind === 'user' && e.action === 'electrodes-moved')).toBe(true);
    t.db.close();
  });
});
