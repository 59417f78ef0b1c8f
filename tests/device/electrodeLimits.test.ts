/**
 * Current density always binds: the client sends no program or amplitude on a channel whose electrode
 * area is not set, refuses implausible areas and a lab-wide density raise, and raises the density limit
 * only through a per-channel, per-session override that carries a typed reason.
 */
import { describe, expect, it } from 'vitest';
import { ProgramRejectedError } from '../../firmware-protocol/src/index.ts';
import { InvalidArgumentError } from '../../src/lib/device/errors.ts';
import { CONVENTIONAL, connected, settle } from './fakes/harness.ts';

async function setup(options: Parameters<typeof connected>[0] = {}) {
  const h = await connected({ statusPollMs: 0, heartbeatMs: 1_000_000, ...options });
  return { ...h, bytesBefore: h.transport.chunks.length };
}

// 20 mA at 100 Hz × 2·200 µs: I_rms = 20 mA · sqrt(400 µs · 100 Hz) = 4 mA → 2 mA/cm² needs ≥ 2 cm².
const FOUR_MA_RMS = CONVENTIONAL;

describe('electrode area per channel', () => {
  it('setProgram on a channel with no electrode area is refused in plain words, and nothing is written', async () => {
    const { clock, client, transport, bytesBefore } = await setup({ electrodeAreasCm2: { 1: 25 } });
    const error = await settle(clock, client.setProgram({ ...CONVENTIONAL, amplitudeUa: 1_000, rampUpMs: 100 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgramRejectedError);
    const violation = (error as ProgramRejectedError).violations.find((v) => v.bound === 'electrode area');
    expect(violation).toMatchObject({ field: 'channel', source: 'current-density' });
    expect(violation?.message).toMatch(/no electrode chosen for channel 1/);
    expect(client.validate({ ...CONVENTIONAL, amplitudeUa: 1_000, rampUpMs: 100 }).ok).toBe(false);
    expect(transport.chunks.length).toBe(bytesBefore);
    // Channel 2 has its pads: the same program is sent there.
    await settle(clock, client.setProgram({ ...CONVENTIONAL, channel: 1, amplitudeUa: 1_000, rampUpMs: 100 }));
    expect(transport.ofType('setProgram')).toHaveLength(1);
  });

  it('each channel is checked against its own electrode (2 cm² on channel 1 binds, 25 cm² on channel 2 does not)', async () => {
    const { clock, client, transport, bytesBefore } = await setup({ electrodeAreasCm2: { 0: 1.5, 1: 25 } });
    const error = await settle(clock, client.setProgram(FOUR_MA_RMS)).catch((e: unknown) => e);
    expect((error as ProgramRejectedError).violations.map((v) => v.source)).toContain('current-density');
    expect(transport.chunks.length).toBe(bytesBefore);
    await settle(clock, client.setProgram({ ...FOUR_MA_RMS, channel: 1 }));
    expect(transport.ofType('setProgram')).toMatchObject([{ program: { channel: 1 } }]);
  });

  it('a live amplitude change on a channel whose electrode was removed is refused', async () => {
    const { clock, client, transport } = await setup();
    await settle(clock, client.setProgram({ ...CONVENTIONAL, amplitudeUa: 5_000, rampUpMs: 500 }));
    await settle(clock, client.start(0));
    client.setLimitsContext({ electrodeAreasCm2: { 1: 25 } });
    const before = transport.chunks.length;
    const error = await settle(clock, client.setAmplitude(0, 6_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgramRejectedError);
    expect(transport.chunks.length).toBe(before);
  });

  it.each([0.5, 0, -4, 151, Number.NaN])('an implausible electrode area (%s cm²) is refused with a typed error and nothing changes', async (area) => {
    const { client } = await setup({ electrodeAreasCm2: { 0: 25 } });
    expect(() => client.setLimitsContext({ electrodeAreasCm2: { 0: area } })).toThrow(InvalidArgumentError);
    expect(() => client.setLimitsContext({ electrodeAreasCm2: { 0: area } })).toThrow(/1–150 cm²/);
    expect(client.validationContextFor(0).electrodeAreaCm2).toBe(25);
  });

  it('the plausible range ends are accepted (1 and 150 cm²)', async () => {
    const { client } = await setup();
    client.setLimitsContext({ electrodeAreasCm2: { 0: 1, 1: 150 } });
    expect(client.validationContextFor(0).electrodeAreaCm2).toBe(1);
    expect(client.validationContextFor(1).electrodeAreaCm2).toBe(150);
  });
});

describe('density override: per channel, deliberate, never a lab setting', () => {
  it('a lab cap that raises the density limit is refused (only an override with a reason may raise it)', async () => {
    const { client } = await setup();
    expect(() => client.setLimitsContext({ labCap: { maxCurrentDensityUaPerCm2: 3_000 }, electrodeAreasCm2: { 0: 25 } })).toThrow(InvalidArgumentError);
    // Tightening stays allowed.
    client.setLimitsContext({ labCap: { maxCurrentDensityUaPerCm2: 1_500 }, electrodeAreasCm2: { 0: 25 } });
  });

  it('an override without a typed reason, or outside 2–10 mA/cm², is refused', async () => {
    const { client } = await setup();
    expect(() => client.setDensityOverride(0, { limitUaPerCm2: 3_000, reason: '  ' })).toThrow(/type the reason/);
    expect(() => client.setDensityOverride(0, { limitUaPerCm2: 2_000, reason: 'protocol 7, approved' })).toThrow(/above 2 mA\/cm²/);
    expect(() => client.setDensityOverride(0, { limitUaPerCm2: 10_001, reason: 'protocol 7, approved' })).toThrow(InvalidArgumentError);
    expect(client.densityOverride(0)).toBeNull();
  });

  it('an override raises the limit on its channel only, until it is ended', async () => {
    const { clock, client, transport } = await setup({ electrodeAreasCm2: { 0: 1.5, 1: 1.5 } });
    client.setDensityOverride(0, { limitUaPerCm2: 3_000, reason: 'protocol 7, approved' });
    expect(client.densityOverride(0)).toEqual({ limitUaPerCm2: 3_000, reason: 'protocol 7, approved' });
    // 4 mA r.m.s. on 1.5 cm² = 2.67 mA/cm²: inside 3 mA/cm² on channel 1, above 2 mA/cm² on channel 2.
    await settle(clock, client.setProgram(FOUR_MA_RMS));
    expect(client.validate({ ...FOUR_MA_RMS, channel: 1 }).ok).toBe(false);
    client.setDensityOverride(0, null);
    expect(client.validate(FOUR_MA_RMS).ok).toBe(false);
    expect(transport.ofType('setProgram')).toHaveLength(1);
  });
});
