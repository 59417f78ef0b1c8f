/**
 * Every runnable built-in preset, run in full on virtual time through the real path: SessionEngine →
 * StimulatorClient → SimulatedTransport → SimulatedBoard. Titrated from the preset's start suggestion,
 * three steps up, accepted, held to the end. The record must say completed, and its dose (from the
 * board's telemetry) must equal what the board's output model delivered.
 */
import { describe, expect, test } from 'vitest';
import { MODE_LIMITS } from '../../firmware-protocol/src/index.ts';
import { BUILTIN_PRESETS } from '../../src/lib/presets/builtinPresets.ts';
import { planFromPreset } from '../../src/lib/session/planFromPreset.ts';
import { rig, type Rig } from './rig.ts';

async function finish(r: Rig, finished: Promise<unknown>): Promise<void> {
  let settled = false;
  finished.then(
    () => (settled = true),
    () => (settled = true),
  );
  await r.runUntil(() => settled, 10_000, 50);
}

describe('every preset, end to end on the simulated board', () => {
  // The PNS template is not runnable (placeholders, percutaneous lead): tests/presets/runnable.test.ts.
  const runnable = BUILTIN_PRESETS.filter((p) => (p.placeholders ?? []).length === 0 && p.electrodes !== 'percutaneous');
  test.each(runnable.map((p) => [p.id, p] as const))('%s: full session, record dose = board dose', async (_id, preset) => {
    const r = await rig();
    const sampleMs = 1; // 1 kHz telemetry
    let maxUa = 0;
    let maxRiseUa = 0;
    let last = 0;
    let firstNonZero: number | null = null;
    const off = r.board.onSample((channel, _atMs, currentUa) => {
      if (channel !== 0) return;
      if (firstNonZero === null && currentUa > 0) firstNonZero = currentUa;
      maxUa = Math.max(maxUa, currentUa);
      maxRiseUa = Math.max(maxRiseUa, currentUa - last);
      last = currentUa;
    });
    const plan = planFromPreset(preset, { channel: 0, context: r.client.validationContext, stepUa: 1000 });
    expect(plan.titration!.maxUa).toBeLessThanOrEqual(preset.program.amplitudeUa);
    const engine = r.engine();
    const starting = engine.start(plan, { painPre: 6 });
    await r.clock.advance(100);
    await starting;
    expect(engine.state).toBe('titrating');
    for (let i = 0; i < 3; i++) {
      await r.clock.advance(2_000);
      await engine.raise();
    }
    await r.clock.advance(2_000);
    await engine.acceptTitration();
    const target = engine.snapshot.targetUa!;
    expect(target).toBe(Math.min(plan.titration!.startUa + 3000, plan.titration!.maxUa));
    await r.runUntil(() => engine.state === 'done', preset.program.durationMs + 10_000, 5_000);
    await finish(r, engine.finished);
    off();
    const record = await engine.finished;
    expect(record.outcome).toBe('completed');
    expect(record.targetUa).toBe(target);
    expect(record.pain.pre).toBe(6);
    expect(record.plan.presetId).toBe(preset.id);

    // Nothing above the titrated level ever reached the electrodes; every start was a ramp from 0.
    expect(maxUa).toBeLessThanOrEqual(target);
    expect(firstNonZero!).toBeLessThanOrEqual(r.client.info!.caps.maxSlewUaPerS * (sampleMs / 1000) + 1);
    expect(maxRiseUa).toBeLessThanOrEqual(r.client.info!.caps.maxSlewUaPerS * (sampleMs / 1000) + 1);

    // The record's dose equals the board's delivered dose within one sample period.
    const board = r.board.dose(0);
    const dose = record.dose[0]!;
    expect(Math.abs(dose.activeMs - board.activeMs)).toBeLessThanOrEqual(sampleMs);
    expect(Math.abs(dose.amplitudeIntegralUaMs - board.amplitudeIntegralUaMs)).toBeLessThanOrEqual(dose.peakUa * sampleMs);
    // Charge: the record integrates the mean pulse rate; the board counts whole pulses. They agree to
    // within one pulse at the peak amplitude (plus rounding).
    const onePulseUc = (dose.peakUa * preset.program.pulseWidthUs) / 1e6;
    expect(Math.abs(dose.chargeUc - board.chargeNc / 1000)).toBeLessThanOrEqual(onePulseUc + 1e-6 * dose.chargeUc);
    // Stimulated for the planned time (within the 1 s engine tick) and never past the mode's longest session.
    expect(board.activeMs).toBeLessThanOrEqual(MODE_LIMITS[preset.program.mode].maxDurationMs);
    expect(board.activeMs).toBeGreaterThan(preset.program.durationMs - 1_000);
    // All events up to the outcome, with write-ahead order: each raising command precedes its ACK.
    const events = await r.store.getEvents(record.id);
    expect(events.at(-1)).toMatchObject({ kind: 'outcome', outcome: 'completed' });
    const commandIdx = events.findIndex((e) => e.kind === 'command' && e.command === 'start');
    const ackIdx = events.findIndex((e) => e.kind === 'ack' && e.command === 'start');
    expect(commandIdx).toBeGreaterThanOrEqual(0);
    expect(ackIdx).toBeGreaterThan(commandIdx);
    expect(events.filter((e) => e.kind === 'ack' && e.command === 'setAmplitude')).toHaveLength(3);
    await r.close();
  });
});
