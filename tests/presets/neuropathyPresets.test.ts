/**
 * The painful-diabetic-neuropathy additions: the high-frequency preset sits inside its mode table, the
 * 2 Hz preset says how the evidence compares, the new works are cited with verified DOIs, and no
 * surface programme is called long-term PNS.
 */
import { describe, expect, test } from 'vitest';
import { MODE_LIMITS, validateProgram } from '../../firmware-protocol/src/index.ts';
import { BUILTIN_PRESETS } from '../../src/lib/presets/builtinPresets.ts';
import { BUILTIN_PROGRAMMES } from '../../src/lib/presets/builtinProgrammes.ts';
import { CITATIONS } from '../../src/lib/presets/citations.ts';

const byId = (id: string) => BUILTIN_PRESETS.find((p) => p.id === id)!;

describe('painful diabetic neuropathy presets', () => {
  test('the high-frequency preset is inside its mode table on every value', () => {
    const preset = byId('pdn-hf-tens-30min');
    const p = preset.program;
    const table = MODE_LIMITS[p.mode];
    expect(p.mode).toBe('conventional');
    expect(p.frequencyDeciHz).toBeGreaterThanOrEqual(table.frequencyDeciHz.min);
    expect(p.frequencyDeciHz).toBeLessThanOrEqual(table.frequencyDeciHz.max);
    expect(p.pulseWidthUs).toBeGreaterThanOrEqual(table.pulseWidthUs.min);
    expect(p.pulseWidthUs).toBeLessThanOrEqual(table.pulseWidthUs.max);
    expect(p.amplitudeUa).toBeLessThanOrEqual(table.maxAmplitudeUa);
    expect(p.durationMs).toBeLessThanOrEqual(table.maxDurationMs);
    expect(preset.startAmplitudeUa).toBeLessThanOrEqual(p.amplitudeUa);
    expect(validateProgram(p, { electrodeAreaCm2: 25 }).ok).toBe(true);
    // Only "high frequency" comes from the trial; the rest are defaults, and say so.
    expect(preset.provenance.frequencyDeciHz).toBe('default');
    expect(preset.provenance.mode).toBe('from-source');
    expect(preset.citations).toContain(CITATIONS.alZamil2022);
  });

  test('the 2 Hz preset says how the evidence compares, citing the comparison trial and the review', () => {
    const preset = byId('pdn-2hz-30min');
    expect(preset.citations).toEqual(expect.arrayContaining([CITATIONS.alZamil2022, CITATIONS.moisset2020]));
    expect(preset.notes.join(' ')).toMatch(/high-frequency TENS lowered pain .* 34\.7 % more than low-frequency TENS/);
  });

  test("the nerve-regeneration preset has the study's frequency, stays inside its mode table, and says where it differs", () => {
    const preset = byId('nerve-regeneration-4hz-60min');
    const p = preset.program;
    const table = MODE_LIMITS[p.mode];
    expect(p.mode).toBe('acupuncture-like');
    expect(p.frequencyDeciHz).toBe(40);
    expect(preset.provenance.frequencyDeciHz).toBe('from-source');
    expect(preset.provenance.durationMs).toBe('default');
    expect(p.frequencyDeciHz).toBeGreaterThanOrEqual(table.frequencyDeciHz.min);
    expect(p.frequencyDeciHz).toBeLessThanOrEqual(table.frequencyDeciHz.max);
    expect(p.pulseWidthUs).toBeLessThanOrEqual(table.pulseWidthUs.max);
    expect(p.amplitudeUa).toBeLessThanOrEqual(table.maxAmplitudeUa);
    expect(p.durationMs).toBe(table.maxDurationMs);
    expect(validateProgram(p, { electrodeAreaCm2: 25 }).ok).toBe(true);
    expect(preset.citations).toContain(CITATIONS.deAssis2014);
    const notes = preset.notes.join(' ');
    expect(notes).toMatch(/mice/);
    expect(notes).toMatch(/review describes this as 2 Hz .* study it cites used 4 Hz/);
    expect(notes).toMatch(/2 h .* at most 60 min/);
  });

  test('the new works carry their verified DOIs', () => {
    expect(CITATIONS.deAssis2014.doi).toBe('10.1155/2014/572949');
    expect(CITATIONS.alZamil2022.doi).toBe('10.3390/healthcare10020250');
    expect(CITATIONS.alZamil2022.pmid).toBe('35206866');
    expect(CITATIONS.moisset2020.doi).toBe('10.1016/j.neurol.2020.01.361');
    expect(CITATIONS.deer2020pns.doi).toBe('10.1186/s42234-020-00045-5');
    expect(CITATIONS.helm2021pns.doi).toBe('10.1007/s40122-021-00306-4');
  });

  test('no surface programme is called long-term PNS; the multi-week surface ones say what they are', () => {
    for (const programme of BUILTIN_PROGRAMMES.filter((p) => p.scope === 'surface')) {
      expect(programme.name).not.toMatch(/long-term|\bPNS\b|peripheral nerve stimulation/i);
      expect(programme.name).toMatch(/multi-week surface TENS programme/i);
    }
  });
});
