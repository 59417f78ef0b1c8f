import { describe, expect, test } from 'vitest';
import { ChannelDraftState } from '../../src/ui/state/channelDraft.svelte.ts';
import { MAX_RMS_CURRENT_UA, rmsCurrentUa, validateProgram } from '../../firmware-protocol/src/index.ts';

describe('ChannelDraftState: what the Control card offers', () => {
  test('within the v1 mode table the r.m.s. limit never binds (it is the safety net behind it)', () => {
    // Highest r.m.s. per unit amplitude in the table: 150 Hz × 2 × 350 µs (modulated) → factor 0.32,
    // so even 80 mA peak stays far below 50 mA r.m.s.
    const d = new ChannelDraftState(0);
    d.setMode('brief-intense');
    d.set('pulseWidthUs', 300);
    d.set('frequencyDeciHz', 1500);
    expect(d.amplitudeMax.source).toBe('mode-table');
    expect(rmsCurrentUa({ ...d.program, amplitudeUa: d.amplitudeMax.value })).toBeLessThan(MAX_RMS_CURRENT_UA);
  });

  test('pulse width and rate bounds tighten so they cannot push the set amplitude past the density limit', () => {
    const d = new ChannelDraftState(0);
    d.setContext({ electrodeAreaCm2: 2 });
    d.set('frequencyDeciHz', 800);
    d.set('pulseWidthUs', 100);
    d.set('amplitudeUa', d.amplitudeMax.value);
    const pwMax = d.maxKeepingAmplitude('pulseWidthUs', d.limits.pulseWidthUs.max);
    expect(pwMax.value).toBeLessThan(250);
    expect(pwMax.source).toBe('current-density');
    expect(validateProgram({ ...d.program, pulseWidthUs: pwMax.value }, d.context).ok).toBe(true);
    expect(validateProgram({ ...d.program, pulseWidthUs: pwMax.value + 1 }, d.context).ok).toBe(false);
    const fMax = d.maxKeepingAmplitude('frequencyDeciHz', d.limits.frequencyDeciHz.max);
    expect(validateProgram({ ...d.program, frequencyDeciHz: fMax.value }, d.context).ok).toBe(true);
    expect(validateProgram({ ...d.program, frequencyDeciHz: fMax.value + 1 }, d.context).ok).toBe(false);
  });

  test('current density binds when an electrode area is set', () => {
    const d = new ChannelDraftState(0);
    d.setContext({ electrodeAreaCm2: 4 });
    const ceiling = d.amplitudeMax;
    expect(ceiling.source).toBe('current-density');
    d.set('amplitudeUa', ceiling.value);
    expect(d.densityUaPerCm2).not.toBeNull();
    expect(d.densityUaPerCm2!).toBeLessThanOrEqual(2000);
  });

  test('with no electrode chosen the program is refused before sending, saying which channel needs its pads', () => {
    const d = new ChannelDraftState(1);
    const v = d.validation;
    expect(v.ok).toBe(false);
    expect(v.ok ? [] : v.violations.map((x) => x.message)).toEqual([expect.stringMatching(/no electrode chosen for channel 2: choose the pad size/)]);
    d.setContext({ electrodeAreaCm2: 25 });
    expect(d.validation.ok).toBe(true);
  });

  test('raising the amplitude stretches the ramp-up so the slew limit holds', () => {
    const d = new ChannelDraftState(0);
    d.setContext({ electrodeAreaCm2: 25 });
    d.set('rampUpMs', 1000);
    d.set('amplitudeUa', 40_000);
    expect(d.program.rampUpMs).toBeGreaterThanOrEqual(4000); // 40 mA at 10 mA/s
    expect(d.validation.ok).toBe(true);
  });

  test('board caps narrow the offered range', () => {
    const d = new ChannelDraftState(0);
    d.setContext({ caps: { maxAmplitudeUa: 30_000, channelCount: 2 } });
    expect(d.amplitudeMax.value).toBe(30_000);
    expect(d.amplitudeMax.source).toBe('board-caps');
  });
});
