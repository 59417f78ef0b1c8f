import { describe, expect, it } from 'vitest';
import { ALL_CHANNELS, ProgramRejectedError } from '../../firmware-protocol/src/index.ts';
import { InvalidArgumentError } from '../../src/lib/device/errors.ts';
import { CONVENTIONAL, connected, settle } from './fakes/harness.ts';

/** Every test here checks that the refused call wrote no byte at all. */
async function setup(options: Parameters<typeof connected>[0] = {}) {
  const h = await connected({ statusPollMs: 0, heartbeatMs: 1_000_000, ...options });
  return { ...h, bytesBefore: h.transport.chunks.length };
}

describe('out-of-range values are refused before any byte is written', () => {
  const bad: [string, Partial<typeof CONVENTIONAL>, string][] = [
    ['amplitude above the conventional-mode 60 mA', { amplitudeUa: 60_001 }, 'amplitudeUa'],
    ['frequency below 50 Hz in conventional mode', { frequencyDeciHz: 499 }, 'frequencyDeciHz'],
    ['pulse width above 250 µs in conventional mode', { pulseWidthUs: 251 }, 'pulseWidthUs'],
    ['a ramp-up faster than the slew limit', { rampUpMs: 100 }, 'rampUpMs'],
    ['a duration over 12 h', { durationMs: 12 * 3_600_000 + 1 }, 'durationMs'],
    ['a channel the board does not have', { channel: 2 }, 'channel'],
    ['a non-integer amplitude', { amplitudeUa: 1000.5 }, 'amplitudeUa'],
  ];
  for (const [what, change, field] of bad) {
    it(`setProgram: ${what}`, async () => {
      const { clock, client, transport, bytesBefore } = await setup();
      const error = await settle(clock, client.setProgram({ ...CONVENTIONAL, ...change })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProgramRejectedError);
      expect((error as ProgramRejectedError).violations.map((v) => v.field)).toContain(field);
      expect(transport.chunks.length).toBe(bytesBefore);
    });
  }

  it("setProgram: the board's caps bind (a board advertising 30 mA max refuses 40 mA)", async () => {
    const { ScriptedTransport } = await import('./fakes/ScriptedTransport.ts');
    const t = new ScriptedTransport();
    t.caps = { ...t.caps, maxAmplitudeUa: 30_000 };
    const h = await connected({ statusPollMs: 0, heartbeatMs: 1_000_000 }, t);
    const before = t.chunks.length;
    const error = await settle(h.clock, h.client.setProgram({ ...CONVENTIONAL, amplitudeUa: 40_000, rampUpMs: 4_000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgramRejectedError);
    expect((error as ProgramRejectedError).violations[0]).toMatchObject({ field: 'amplitudeUa', source: 'board-caps', bound: 30_000 });
    expect(t.chunks.length).toBe(before);
  });

  it('setProgram: the lab cap binds', async () => {
    const { clock, client, transport, bytesBefore } = await setup({ labCap: { maxAmplitudeUa: 10_000 } });
    const error = await settle(clock, client.setProgram(CONVENTIONAL)).catch((e: unknown) => e);
    expect((error as ProgramRejectedError).violations[0]).toMatchObject({ field: 'amplitudeUa', source: 'lab-cap' });
    expect(transport.chunks.length).toBe(bytesBefore);
  });

  it('setProgram: the current-density limit binds once an electrode area is set', async () => {
    // 20 mA at 100 Hz × 200 µs: I_rms = 20 mA · sqrt(2 · 200 µs · 100 Hz) = 4 mA → 4 mA/cm² on 1 cm² > 2 mA/cm².
    const { clock, client, transport, bytesBefore } = await setup({ electrodeAreasCm2: { 0: 1, 1: 1 } });
    const error = await settle(clock, client.setProgram(CONVENTIONAL)).catch((e: unknown) => e);
    expect((error as ProgramRejectedError).violations.map((v) => v.source)).toContain('current-density');
    expect(transport.chunks.length).toBe(bytesBefore);
  });

  it("setAmplitude: above the mode's maximum is refused against the channel's program", async () => {
    const { clock, client, transport } = await setup();
    await settle(clock, client.setProgram(CONVENTIONAL));
    await settle(clock, client.start(0));
    const before = transport.chunks.length;
    const error = await settle(clock, client.setAmplitude(0, 60_001)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgramRejectedError);
    expect((error as ProgramRejectedError).violations.map((v) => v.field)).toEqual(['amplitudeUa']);
    expect(transport.chunks.length).toBe(before);
  });

  it('setAmplitude: a lab cap set after the program was accepted still binds live changes', async () => {
    const { clock, client, transport } = await setup();
    await settle(clock, client.setProgram({ ...CONVENTIONAL, amplitudeUa: 10_000, rampUpMs: 1_000 }));
    await settle(clock, client.start(0));
    const before = transport.chunks.length;
    client.setLimitsContext({ labCap: { maxAmplitudeUa: 12_000 } });
    const error = await settle(clock, client.setAmplitude(0, 12_001)).catch((e: unknown) => e);
    expect((error as ProgramRejectedError).violations[0]).toMatchObject({ source: 'lab-cap' });
    expect(transport.chunks.length).toBe(before);
  });

  it('setAmplitude: the current-density limit binds live changes too', async () => {
    const { clock, client, transport } = await setup({ electrodeAreasCm2: { 0: 1, 1: 1 } });
    await settle(clock, client.setProgram({ ...CONVENTIONAL, amplitudeUa: 5_000, rampUpMs: 500 }));
    await settle(clock, client.start(0));
    const before = transport.chunks.length;
    // Limit on 1 cm²: 2 mA/cm² → I_rms ≤ 2 mA → I ≤ 10 mA at 100 Hz × 200 µs.
    expect(await settle(clock, client.setAmplitude(0, 10_000))).toBe(10_000);
    const error = await settle(clock, client.setAmplitude(0, 10_001)).catch((e: unknown) => e);
    expect((error as ProgramRejectedError).violations[0]).toMatchObject({ source: 'current-density', bound: 10_000 });
    expect(transport.chunks.length).toBe(before + 1);
  });

  it('setAmplitude: a rise is NOT refused for its ramp (the board slews live changes)', async () => {
    const { clock, client, transport } = await setup();
    await settle(clock, client.setProgram({ ...CONVENTIONAL, amplitudeUa: 5_000, rampUpMs: 500 }));
    await settle(clock, client.start(0));
    // 50 mA with the program's 500 ms ramp would break the slew check for a program; live, it is allowed.
    expect(await settle(clock, client.setAmplitude(0, 50_000))).toBe(50_000);
    expect(transport.ofType('setAmplitude')).toMatchObject([{ channel: 0, amplitudeUa: 50_000 }]);
  });

  it('channel arguments out of range are refused with InvalidArgumentError (start, stop, setAmplitude, measureImpedance)', async () => {
    const { clock, client, transport, bytesBefore } = await setup();
    for (const call of [() => client.start(2), () => client.stop(7), () => client.setAmplitude(-1, 1000), () => client.measureImpedance(1.5), () => client.start(ALL_CHANNELS)]) {
      const error = await settle(clock, call() as Promise<unknown>).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
    }
    expect(transport.chunks.length).toBe(bytesBefore);
  });

  it('setAmplitude and start need a verified program on that channel', async () => {
    const { clock, client, transport, bytesBefore } = await setup();
    await expect(settle(clock, client.start(1))).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(settle(clock, client.setAmplitude(1, 1_000))).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(transport.chunks.length).toBe(bytesBefore);
  });

  it('nothing is sent before connect: NotConnectedError', async () => {
    const { makeClient } = await import('./fakes/harness.ts');
    const { client, transport } = makeClient();
    await expect(client.setProgram(CONVENTIONAL)).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    expect(transport.openCount).toBe(0);
  });
});
