/**
 * Compliance voltage: the host refuses a program, a START or a live raise whose peak voltage at the
 * measured electrode load (I_peak · Z) exceeds the board's advertised complianceMv, with a typed error and
 * nothing sent. Lowering is never refused. The simulated board advertises 80 V.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../firmware-protocol/src/index.ts';
import { ComplianceExceededError } from '../../src/lib/device/errors.ts';
import { peakVoltageMv } from '../../src/lib/device/compliance.ts';
import { connectedRig, settle } from './support/rig.ts';
import { CONVENTIONAL } from '../fixtures/records.ts';

/** A poor contact: about 2.5–3 kΩ, still below the board's 5 kΩ START threshold. */
const POOR_CONTACT = { seriesOhm: 2_000, parallelOhm: 1_000, parallelNf: 100 };

async function rigWithLoad() {
  const rig = await connectedRig({ board: { load: POOR_CONTACT }, client: { statusPollMs: 0 } });
  const received: Message[] = [];
  rig.board.onFrame((dir, m) => {
    if (dir === 'in') received.push(m);
  });
  const sent = (type: Message['type']) => received.filter((m) => m.type === type).length;
  return { ...rig, sent };
}

describe('peak voltage at the measured load must be within the board compliance', () => {
  it('setProgram: 40 mA into the measured ~2.7 kΩ needs > 80 V → ComplianceExceededError, no SET_PROGRAM sent', async () => {
    const rig = await rigWithLoad();
    const { impedanceOhm } = await settle(rig.clock, rig.client.measureImpedance(0));
    expect(peakVoltageMv(40_000, impedanceOhm)).toBeGreaterThan(80_000);
    const error = await settle(rig.clock, rig.client.setProgram({ ...CONVENTIONAL, amplitudeUa: 40_000, rampUpMs: 4_000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComplianceExceededError);
    const e = error as ComplianceExceededError;
    expect(e).toMatchObject({ code: 'COMPLIANCE_EXCEEDED', channel: 0, amplitudeUa: 40_000, impedanceOhm, complianceMv: 80_000 });
    expect(e.message).toMatch(/Channel 1: 40\.0 mA into the measured .* Ω needs .* V, above the board's 80\.0 V compliance voltage; nothing was sent/);
    expect(rig.sent('setProgram')).toBe(0);
  });

  it('an amplitude within compliance at the same load is accepted', async () => {
    const rig = await rigWithLoad();
    const { impedanceOhm } = await settle(rig.clock, rig.client.measureImpedance(0));
    expect(peakVoltageMv(20_000, impedanceOhm)).toBeLessThan(80_000);
    await settle(rig.clock, rig.client.setProgram(CONVENTIONAL));
    expect(rig.sent('setProgram')).toBe(1);
  });

  it('start: a load measured after the program was set is checked again, and START is not sent', async () => {
    const rig = await rigWithLoad();
    await settle(rig.clock, rig.client.setProgram({ ...CONVENTIONAL, amplitudeUa: 40_000, rampUpMs: 4_000 }));
    await settle(rig.clock, rig.client.measureImpedance(0));
    const error = await settle(rig.clock, rig.client.start(0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComplianceExceededError);
    expect(rig.sent('start')).toBe(0);
    expect(rig.totalOutputUa()).toBe(0);
  });

  it('titration without a MEASURE_IMPEDANCE: the load seen in TELEMETRY (V/I at the pulse peak) refuses a raise past compliance', async () => {
    const rig = await rigWithLoad();
    await settle(rig.clock, rig.client.setProgram(CONVENTIONAL));
    await settle(rig.clock, rig.client.start(0));
    await rig.clock.advance(5_000);
    const before = rig.sent('setAmplitude');
    const error = await settle(rig.clock, rig.client.setAmplitude(0, 40_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComplianceExceededError);
    expect((error as ComplianceExceededError).impedanceOhm).toBeGreaterThan(2_000);
    expect(rig.sent('setAmplitude')).toBe(before);
    // Within compliance at the same load: sent.
    await settle(rig.clock, rig.client.setAmplitude(0, 22_000));
    expect(rig.sent('setAmplitude')).toBe(before + 1);
  });

  it('setAmplitude: a raise past compliance is refused with nothing sent; a lowering is never refused', async () => {
    const rig = await rigWithLoad();
    const { impedanceOhm } = await settle(rig.clock, rig.client.measureImpedance(0));
    const withinUa = Math.floor((80_000 * 1000) / impedanceOhm) - 1_000;
    await settle(rig.clock, rig.client.setProgram({ ...CONVENTIONAL, amplitudeUa: withinUa, rampUpMs: 4_000 }));
    await settle(rig.clock, rig.client.start(0));
    await rig.clock.advance(5_000);
    const before = rig.sent('setAmplitude');
    const error = await settle(rig.clock, rig.client.setAmplitude(0, 40_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComplianceExceededError);
    expect(rig.sent('setAmplitude')).toBe(before);
    // Lowering is a reducing command: always sent.
    await settle(rig.clock, rig.client.setAmplitude(0, 5_000));
    expect(rig.sent('setAmplitude')).toBe(before + 1);
  });
});
