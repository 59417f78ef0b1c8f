/**
 * Session scenarios through the real client and the simulated board: pause/resume without an amplitude
 * jump, the daily cap stopping a programme session, a crash leaving an interrupted record, ESTOP,
 * electrode-off and unplug.
 */
import { describe, expect, test } from 'vitest';
import { MODE_LIMITS } from '../../firmware-protocol/src/index.ts';
import { BUILTIN_PRESETS } from '../../src/lib/presets/builtinPresets.ts';
import { BUILTIN_PROGRAMMES } from '../../src/lib/presets/builtinProgrammes.ts';
import { SessionRefusedError } from '../../src/lib/session/errors.ts';
import { planFromPreset } from '../../src/lib/session/planFromPreset.ts';
import { occurrencesBetween } from '../../src/lib/session/programmeSchedule.ts';
import { fixedTimeZone } from '../../src/lib/session/timeZone.ts';
import type { SessionEngine } from '../../src/lib/session/SessionEngine.ts';
import { openStimbenchDb } from '../../src/lib/storage/openStimbenchDb.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import type { RecordEvent } from '../../src/lib/session/recordTypes.ts';
import { plan, PROGRAM, recordOf } from '../storage/helpers.ts';
import { rig, type Rig } from './rig.ts';

async function finish(r: Rig, engine: SessionEngine) {
  let settled = false;
  engine.finished.then(
    () => (settled = true),
    () => (settled = true),
  );
  await r.runUntil(() => settled, 10_000, 50);
  return engine.finished;
}

async function start(r: Rig, engine: SessionEngine, p = plan()) {
  const starting = engine.start(p);
  await r.clock.advance(50);
  await starting;
}

/** Watch every output sample of channel 0: the largest rise between samples, and samples while paused. */
function watch(r: Rig) {
  const w = { maxRiseUa: 0, last: 0, samples: 0, nonZeroWhile: 0, paused: false };
  const off = r.board.onSample((channel, _at, currentUa) => {
    if (channel !== 0) return;
    w.samples++;
    w.maxRiseUa = Math.max(w.maxRiseUa, currentUa - w.last);
    w.last = currentUa;
    if (w.paused && currentUa > 0) w.nonZeroWhile++;
  });
  return { w, off };
}

describe('pause and resume on the simulated board', () => {
  test('never jumps amplitude: output ramps down to zero, stays at zero, and ramps up from zero again', async () => {
    const r = await rig();
    const { w, off } = watch(r);
    const engine = r.engine();
    const program = { ...PROGRAM, amplitudeUa: 20_000, rampUpMs: 4_000, rampDownMs: 3_000, durationMs: 120_000 };
    await start(r, engine, plan(program));
    await r.runUntil(() => engine.state === 'holding', 10_000, 100);
    expect(r.board.outputUa(0)).toBe(20_000);
    await r.clock.advance(20_000);
    await engine.pause();
    await r.runUntil(() => engine.state === 'paused', 10_000, 50);
    expect(r.board.outputUa(0)).toBe(0);
    w.paused = true;
    await r.clock.advance(30_000);
    w.paused = false;
    expect(w.nonZeroWhile).toBe(0);
    const elapsedAtPause = engine.snapshot.elapsedMs;
    await engine.resume();
    // Just after the resume: at most one slew step above zero, never the old amplitude.
    await r.clock.advance(1);
    expect(r.board.outputUa(0)).toBeLessThanOrEqual(20);
    expect(r.board.program(0)!.durationMs).toBe(program.durationMs - elapsedAtPause);
    await r.runUntil(() => engine.state === 'done', 200_000, 1_000);
    const record = await finish(r, engine);
    off();
    expect(record.outcome).toBe('completed');
    // 10 mA/s slew at 1 kHz: never more than 10 µA up from one sample to the next.
    expect(w.maxRiseUa).toBeLessThanOrEqual(r.client.info!.caps.maxSlewUaPerS / 1000);
    const board = r.board.dose(0);
    expect(Math.abs(record.dose[0]!.activeMs - board.activeMs)).toBeLessThanOrEqual(1);
    // Two runs' worth of stimulation, adding up to the plan (each run's board time ≈ its programmed duration).
    expect(board.activeMs).toBeGreaterThan(program.durationMs - 1_000);
    expect(board.activeMs).toBeLessThanOrEqual(program.durationMs + 2);
    const starts = (await r.store.getEvents(record.id)).filter((e) => e.kind === 'command' && e.command === 'start');
    expect(starts).toHaveLength(2);
    await r.close();
  });
});

describe('daily cap on the simulated board', () => {
  test('a programme session is stopped at the cap, and the next one is refused with nothing sent', async () => {
    const r = await rig();
    const programme = BUILTIN_PROGRAMMES.find((p) => p.id === 'wearable-day-night-60-day')!;
    const preset = BUILTIN_PRESETS.find((p) => p.id === 'wearable-60min')!;
    const now = r.clock.wallNow();
    const enrolment = { id: 'enrol-1', programmeId: programme.id, channel: 0, startedWallMs: now - 86_400_000, endedWallMs: null };
    // 11.5 h of stimulation on channel 0 in the last 24 h (earlier sessions of the programme).
    await r.store.createRecord(
      recordOf('earlier', {
        status: 'closed',
        outcome: 'completed',
        createdWallMs: now - 12 * 3_600_000,
        endedWallMs: now - 60_000,
        dose: [{ channel: 0, activeMs: 11.5 * 3_600_000, amplitudeIntegralUaMs: 0, chargeUc: 0, peakUa: 5000, samples: 0, sampleIntervalUs: 1000 }],
      }),
    );
    const occurrence = occurrencesBetween(programme, enrolment, now - 3_600_000, now + 86_400_000, fixedTimeZone(0))[0]!;
    const p = planFromPreset(preset, {
      channel: 0,
      titrate: false,
      amplitudeUa: 8_000,
      context: r.client.validationContext,
      programmeRef: { enrolmentId: enrolment.id, programmeId: programme.id, dayIndex: occurrence.dayIndex, slotId: occurrence.slotId },
    });
    const setPrograms: number[] = [];
    r.board.onFrame((direction, message) => {
      if (direction === 'in' && message.type === 'setProgram') setPrograms.push(message.program.durationMs);
    });
    const engine = r.engine();
    await start(r, engine, p);
    await r.runUntil(() => engine.state === 'done', 3_600_000, 10_000);
    const record = await finish(r, engine);
    expect(record).toMatchObject({ outcome: 'stopped', stopReason: 'daily-cap' });
    expect(setPrograms).toEqual([30 * 60_000]);
    const board = r.board.dose(0);
    expect(board.activeMs).toBeLessThanOrEqual(30 * 60_000);
    expect(board.activeMs).toBeGreaterThan(29 * 60_000);
    expect(r.board.outputUa(0)).toBe(0);
    expect((await r.store.getEvents(record.id)).some((e) => e.kind === 'limit' && e.limit === 'daily-cap')).toBe(true);
    // The cap is now reached: the next session is refused and nothing reaches the board.
    const next = r.engine();
    await expect(next.start(p)).rejects.toBeInstanceOf(SessionRefusedError);
    expect(setPrograms).toHaveLength(1);
    await r.close();
  });
});

describe('a crash mid-session', () => {
  test('leaves a record marked interrupted with every event up to the crash', async () => {
    const r = await rig();
    const durable: RecordEvent[] = [];
    const append = r.store.appendEvent.bind(r.store);
    r.store.appendEvent = async (event) => {
      await append(event);
      durable.push(event);
    };
    const engine = r.engine({ summaryFlushSeconds: 5 });
    await start(r, engine, plan({ ...PROGRAM, durationMs: 600_000 }));
    await r.runUntil(() => engine.state === 'holding', 10_000, 100);
    await r.clock.advance(60_000);
    for (let i = 0; i < 20; i++) await r.clock.settle(); // writes under way land
    const recordId = engine.recordId!;
    // The crash: the page is gone. The engine and its connection are dropped, never closed.
    const snapshot = [...durable];
    r.store.db.close();
    const reopened = new RecordStore(await openStimbenchDb({ name: r.dbName }));
    expect((await reopened.getRecord(recordId))!.status).toBe('open');
    expect(await reopened.recoverInterrupted(r.clock.wallNow())).toEqual([recordId]);
    const full = await reopened.getFull(recordId);
    expect(full.record.outcome).toBe('interrupted');
    expect(full.events.slice(0, snapshot.length)).toEqual(snapshot);
    expect(full.events.slice(snapshot.length).map((e) => e.kind)).toEqual(['interrupted', 'outcome']);
    expect(snapshot.some((e) => e.kind === 'phase' && e.to === 'holding')).toBe(true);
    // The dose survives from the flushed per-second summaries (≥ 55 s of the ~64 s delivered).
    expect(full.record.dose[0]!.activeMs).toBeGreaterThan(55_000);
    expect(full.record.dose[0]!.activeMs).toBeLessThanOrEqual(r.board.dose(0).activeMs);
    reopened.db.close();
    r.board.destroy();
  });
});

describe('stop paths on the simulated board', () => {
  test('ESTOP mid-hold: output is zero at once, the record says estopped', async () => {
    const r = await rig();
    const engine = r.engine();
    await start(r, engine);
    await r.runUntil(() => engine.state === 'holding', 10_000, 100);
    expect(r.board.outputUa(0)).toBe(PROGRAM.amplitudeUa);
    const estopping = engine.estop();
    await r.clock.settle();
    expect(r.board.outputUa(0)).toBe(0);
    await estopping;
    expect(r.board.fault).toBe('estop');
    const record = await finish(r, engine);
    expect(record.outcome).toBe('estopped');
    await r.close();
  });

  test('an ESTOP sent to the device directly (the app-wide STOP key) also ends the session as estopped', async () => {
    const r = await rig();
    const engine = r.engine();
    await start(r, engine);
    await r.runUntil(() => engine.state === 'holding', 10_000, 100);
    await r.client.estop();
    await r.clock.settle();
    expect(r.board.outputUa(0)).toBe(0);
    await r.runUntil(() => engine.state === 'done', 1_000, 10);
    const record = await finish(r, engine);
    expect(record.outcome).toBe('estopped');
    expect((await r.store.getEvents(record.id)).find((e) => e.kind === 'fault')).toMatchObject({ code: 'estop' });
    await r.close();
  });

  test('electrode off: outcome fault, output zero', async () => {
    const r = await rig();
    const engine = r.engine();
    await start(r, engine);
    await r.runUntil(() => engine.state === 'holding', 10_000, 100);
    r.board.inject.electrodeOff(0);
    await r.runUntil(() => engine.state === 'done', 2_000, 10);
    const record = await finish(r, engine);
    expect(record.outcome).toBe('fault');
    expect(r.board.outputUa(0)).toBe(0);
    const fault = (await r.store.getEvents(record.id)).find((e) => e.kind === 'fault');
    expect(fault).toMatchObject({ source: 'board', code: 'electrodeOff' });
    await r.close();
  });

  test('cable unplugged: outcome connection-lost, the board watchdog zeroes output, nothing resumes', async () => {
    const r = await rig();
    const engine = r.engine();
    await start(r, engine);
    await r.runUntil(() => engine.state === 'holding', 10_000, 100);
    r.board.inject.unplug();
    await r.runUntil(() => engine.state === 'done', 2_000, 10);
    const record = await finish(r, engine);
    expect(record.outcome).toBe('connection-lost');
    await r.clock.advance(r.client.info?.watchdogMs ?? 500);
    expect(r.board.outputUa(0)).toBe(0);
    r.board.inject.replug();
    await r.clock.advance(5_000);
    expect(r.board.outputUa(0)).toBe(0);
    expect(engine.state).toBe('done');
    await r.close();
  });

  test('the longest single session of a mode is enforced before anything is sent', async () => {
    const r = await rig();
    const frames: string[] = [];
    r.board.onFrame((direction, m) => direction === 'in' && m.type !== 'heartbeat' && m.type !== 'getStatus' && frames.push(m.type));
    const tooLong = { ...PROGRAM, mode: 'acupuncture-like' as const, frequencyDeciHz: 20, pulseWidthUs: 200, durationMs: MODE_LIMITS['acupuncture-like'].maxDurationMs + 1 };
    await expect(r.engine().start(plan(tooLong))).rejects.toMatchObject({ code: 'PLAN_INVALID' });
    await r.clock.advance(1_000);
    expect(frames).toEqual([]);
    await r.close();
  });
});
