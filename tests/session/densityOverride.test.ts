/**
 * Current density always binds in a session: a session needs an electrode area on its channel (refused
 * otherwise, nothing sent, no record), the area is in the record header, and the density limit is raised
 * only by this session's declared override: its reason and raised limit are recorded as an event and with
 * every program sent, and it ends with the session. Proven through the real client and simulated board.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2, rmsCurrentUa } from '../../firmware-protocol/src/index.ts';
import type { SessionEngine } from '../../src/lib/session/SessionEngine.ts';
import { SessionRefusedError } from '../../src/lib/session/errors.ts';
import { plan, PROGRAM } from '../storage/helpers.ts';
import { rig, type Rig } from './rig.ts';

async function runToEnd(r: Rig, engine: SessionEngine): Promise<void> {
  await engine.stop();
  let done = false;
  void engine.finished.then(() => (done = true), () => (done = true));
  await r.runUntil(() => done, 10_000, 50);
}

const REASON = 'Protocol 7 (ethics ref. 2024-113): small-pad motor point study';

describe('electrode area is required for every session', () => {
  test('a session on a channel with no electrode area is refused: nothing sent, no record', async () => {
    const r = await rig({}, { electrodeAreasCm2: { 1: 25 } });
    const engine = r.engine();
    const error = await engine.start(plan(PROGRAM)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionRefusedError);
    expect(error).toMatchObject({ code: 'NO_ELECTRODE' });
    expect((error as Error).message).toMatch(/no electrode chosen for channel 1/);
    expect(r.board.outputUa(0)).toBe(0);
    expect(r.board.program(0)).toBeNull();
    expect(await r.store.recordsTouching(0)).toEqual([]);
    await r.close();
  });

  test("the record header carries the channel's electrode area, and each program sent is logged with the limits it was checked against", async () => {
    const r = await rig({}, { electrodeAreasCm2: { 0: 45 } });
    const engine = r.engine();
    const starting = engine.start(plan(PROGRAM));
    await r.clock.advance(50);
    await starting;
    await runToEnd(r, engine);
    const record = await engine.finished;
    expect(record.limits.electrodeAreaCm2).toBe(45);
    const events = await r.store.getEvents(record.id);
    expect(events.some((e) => e.kind === 'override')).toBe(false);
    const sent = events.find((e) => e.kind === 'command' && e.command === 'setProgram');
    expect(sent).toMatchObject({ limits: { electrodeAreaCm2: 45, densityLimitUaPerCm2: DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2 } });
    expect(sent && 'limits' in sent ? sent.limits?.densityOverrideReason : 'x').toBeUndefined();
    await r.close();
  });
});

describe('current-density override: per session, with a reason, recorded, ends with the session', () => {
  // 20 mA at 100 Hz × 2·100 µs is 2.83 mA r.m.s.; on 1 cm² that is 2.83 mA/cm², above the 2 mA/cm² default.
  const program = { ...PROGRAM, amplitudeUa: 20_000 };

  test('without an override the program is refused at the default limit', async () => {
    const r = await rig({}, { electrodeAreasCm2: { 0: 1 } });
    expect(rmsCurrentUa(program)).toBeGreaterThan(DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2);
    const error = await r.engine().start(plan(program)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLAN_INVALID' });
    expect((error as Error).message).toMatch(/current density 2\.83 mA\/cm² exceeds 2\.00 mA\/cm²/);
    await r.close();
  });

  test('with a declared override: event with reason and raised limit, every SET_PROGRAM logged with it, gone when the session ends', async () => {
    const r = await rig({}, { electrodeAreasCm2: { 0: 1 } });
    const engine = r.engine();
    const starting = engine.start(plan(program), { densityOverride: { limitUaPerCm2: 3_000, reason: REASON } });
    await r.clock.advance(50);
    await starting;
    expect(r.client.densityOverride(0)).toEqual({ limitUaPerCm2: 3_000, reason: REASON });
    await r.runUntil(() => engine.state === 'holding', 10_000, 100);
    await runToEnd(r, engine);
    const record = await engine.finished;
    const events = await r.store.getEvents(record.id);
    const override = events.filter((e) => e.kind === 'override');
    expect(override).toEqual([
      expect.objectContaining({ kind: 'override', what: 'current-density', channel: 0, limitUaPerCm2: 3_000, defaultUaPerCm2: DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2, reason: REASON }),
    ]);
    const programs = events.filter((e) => e.kind === 'command' && e.command === 'setProgram');
    expect(programs.length).toBeGreaterThan(0);
    for (const e of programs) expect(e).toMatchObject({ limits: { electrodeAreaCm2: 1, densityLimitUaPerCm2: 3_000, densityOverrideReason: REASON } });
    // The override event is durable before the first program is sent (write-ahead order).
    expect(override[0]!.index).toBeLessThan(programs[0]!.index);
    expect(record.limits.electrodeAreaCm2).toBe(1);
    // Expired with the session: the same program is refused again.
    expect(r.client.densityOverride(0)).toBeNull();
    expect(r.client.validate(program).ok).toBe(false);
    await r.close();
  });

  test('an override with no typed reason is refused: nothing sent, no record, no override left on the device', async () => {
    const r = await rig({}, { electrodeAreasCm2: { 0: 1 } });
    const error = await r.engine().start(plan(program), { densityOverride: { limitUaPerCm2: 3_000, reason: ' ok ' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionRefusedError);
    expect((error as Error).message).toMatch(/type the reason/);
    expect(r.client.densityOverride(0)).toBeNull();
    expect(await r.store.recordsTouching(0)).toEqual([]);
    await r.close();
  });

  test('a session refused for another reason does not leave its override on the device', async () => {
    const r = await rig({}, { electrodeAreasCm2: { 0: 1 } });
    // 4 mA/cm² is above even the raised 3 mA/cm²: refused, and the override must not stay armed.
    const error = await r.engine().start(plan({ ...program, amplitudeUa: 28_300, rampUpMs: 2_830 }), { densityOverride: { limitUaPerCm2: 3_000, reason: REASON } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLAN_INVALID' });
    expect(r.client.densityOverride(0)).toBeNull();
    await r.close();
  });
});
