/**
 * PROTOCOL.md § 13.2: a lab-level setting may raise the 2 mA/cm² current-density limit, and every such override
 * is recorded. Proven through the real client and simulated board.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2, rmsCurrentUa } from '../../firmware-protocol/src/index.ts';
import { plan, PROGRAM } from '../storage/helpers.ts';
import { rig } from './rig.ts';

describe('current-density override', () => {
  test('a session run under a raised density limit records the override and the lab cap in its limits', async () => {
    const r = await rig();
    // 20 mA at 100 Hz × 2·100 µs is 2.83 mA r.m.s.; on 1 cm² that is 2.83 mA/cm², above the 2 mA/cm² default.
    const program = { ...PROGRAM, amplitudeUa: 20_000 };
    expect(rmsCurrentUa(program)).toBeGreaterThan(DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2);
    r.client.setLimitsContext({ electrodeAreaCm2: 1 });
    expect(r.client.validate(program).ok).toBe(false);
    r.client.setLimitsContext({ electrodeAreaCm2: 1, labCap: { maxCurrentDensityUaPerCm2: 3_000 } });
    expect(r.client.validate(program).ok).toBe(true);

    const engine = r.engine();
    const starting = engine.start(plan(program));
    await r.clock.advance(50);
    await starting;
    await r.runUntil(() => engine.state === 'holding', 10_000, 100);
    await engine.stop();
    let done = false;
    void engine.finished.then(() => (done = true), () => (done = true));
    await r.runUntil(() => done, 10_000, 50);
    const record = await engine.finished;
    const events = await r.store.getEvents(record.id);
    const override = events.find((e) => e.kind === 'override');
    expect(override).toMatchObject({ kind: 'override', what: 'current-density', limitUaPerCm2: 3_000, defaultUaPerCm2: DEFAULT_MAX_CURRENT_DENSITY_UA_PER_CM2 });
    expect(record.limits.labCap).toEqual({ maxCurrentDensityUaPerCm2: 3_000 });
    expect(record.limits.electrodeAreaCm2).toBe(1);
    await r.close();
  });

  test('without an override no override event is written', async () => {
    const r = await rig();
    r.client.setLimitsContext({ electrodeAreaCm2: 25 });
    const engine = r.engine();
    const starting = engine.start(plan(PROGRAM));
    await r.clock.advance(50);
    await starting;
    await engine.stop();
    let done = false;
    void engine.finished.then(() => (done = true), () => (done = true));
    await r.runUntil(() => done, 10_000, 50);
    const events = await r.store.getEvents((await engine.finished).id);
    expect(events.some((e) => e.kind === 'override')).toBe(false);
    await r.close();
  });
});
