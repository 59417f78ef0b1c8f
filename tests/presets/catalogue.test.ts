import { describe, expect, test } from 'vitest';
import { MODE_LIMITS, amplitudeCeiling, validateProgram, type Mode } from '../../firmware-protocol/src/index.ts';
import { BUILTIN_PRESETS } from '../../src/lib/presets/builtinPresets.ts';
import { BUILTIN_PROGRAMMES } from '../../src/lib/presets/builtinProgrammes.ts';
import { CITATIONS } from '../../src/lib/presets/citations.ts';
import { presetFileOf } from '../../src/lib/presets/exportPresetFile.ts';
import { parsePresetFile } from '../../src/lib/presets/parsePresetFile.ts';
import { PRESET_VALUE_KEYS, PROGRAMME_VALUE_KEYS } from '../../src/lib/presets/provenanceOf.ts';
import type { Citation } from '../../src/lib/presets/types.ts';

/** The simulated board's default caps (board contract). */
const SIM_CAPS = { channelCount: 2, maxAmplitudeUa: 80_000, maxPulseWidthUs: 400, minFrequencyDeciHz: 10, maxFrequencyDeciHz: 1500, maxSlewUaPerS: 10_000, complianceMv: 80_000 };

describe('built-in presets', () => {
  test.each(BUILTIN_PRESETS.map((p) => [p.id, p] as const))('%s passes validateProgram, alone and with the board caps', (_id, preset) => {
    expect(validateProgram(preset.program)).toEqual({ ok: true });
    expect(validateProgram(preset.program, { caps: SIM_CAPS })).toEqual({ ok: true });
    // The ceiling is inside the r.m.s. and mode limits; the start suggestion is under it.
    expect(preset.program.amplitudeUa).toBeLessThanOrEqual(amplitudeCeiling(preset.program).value);
    expect(preset.startAmplitudeUa).toBeGreaterThan(0);
    expect(preset.startAmplitudeUa).toBeLessThanOrEqual(preset.program.amplitudeUa);
    expect(preset.program.durationMs).toBeLessThanOrEqual(MODE_LIMITS[preset.program.mode].maxDurationMs);
  });

  test('every value of every preset carries a provenance mark, and from-source values have a citation', () => {
    for (const preset of BUILTIN_PRESETS) {
      expect(Object.keys(preset.provenance).sort()).toEqual([...PRESET_VALUE_KEYS].sort());
      for (const mark of Object.values(preset.provenance)) expect(['from-source', 'default']).toContain(mark);
      if (Object.values(preset.provenance).includes('from-source')) expect(preset.citations.length, preset.id).toBeGreaterThan(0);
    }
  });

  test('ids are unique and the catalogue covers every required kind', () => {
    const ids = BUILTIN_PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const modes = new Set<Mode>(BUILTIN_PRESETS.map((p) => p.program.mode));
    for (const mode of ['conventional', 'acupuncture-like', 'burst', 'brief-intense', 'modulated', 'low-frequency'] as const) expect(modes).toContain(mode);
    const bes = BUILTIN_PRESETS.find((p) => p.id === 'bes-20hz-1h')!;
    expect(bes.program).toMatchObject({ mode: 'low-frequency', frequencyDeciHz: 200, durationMs: 3_600_000 });
    expect(bes.provenance.frequencyDeciHz).toBe('from-source');
    expect(bes.provenance.durationMs).toBe('from-source');
    expect(BUILTIN_PRESETS.some((p) => p.term === 'short')).toBe(true);
    expect(BUILTIN_PRESETS.some((p) => p.term === 'long')).toBe(true);
  });

  test('the percutaneous PNS session is a schedule template with no value presented as from the source', () => {
    const pns = BUILTIN_PRESETS.find((p) => p.id === 'pns-template-60min')!;
    expect(pns.scope).toBe('schedule-template');
    expect(Object.values(pns.provenance).every((m) => m === 'default')).toBe(true);
    expect(validateProgram(pns.program)).toEqual({ ok: true });
  });
});

describe('built-in programmes', () => {
  test('the whole built-in catalogue passes the import checks (slots known, no overlap, within the daily cap)', () => {
    const file = presetFileOf(BUILTIN_PRESETS, BUILTIN_PROGRAMMES);
    expect(() => parsePresetFile(JSON.parse(JSON.stringify(file)))).not.toThrow();
  });

  test('every schedule value carries a provenance mark', () => {
    for (const programme of BUILTIN_PROGRAMMES) {
      expect(Object.keys(programme.provenance).sort()).toEqual([...PROGRAMME_VALUE_KEYS].sort());
      if (Object.values(programme.provenance).includes('from-source')) expect(programme.citations.length, programme.id).toBeGreaterThan(0);
    }
  });

  test('covers the required long-term programmes', () => {
    const byId = new Map(BUILTIN_PROGRAMMES.map((p) => [p.id, p]));
    const presetById = new Map(BUILTIN_PRESETS.map((p) => [p.id, p]));
    const pdn = byId.get('pdn-4-week')!;
    expect(pdn.courseLengthDays).toBe(28);
    expect(pdn.citations.map((c) => c.id)).toContain('kumarMarshall1997');
    const pns = byId.get('pns-60-day-template')!;
    expect(pns.scope).toBe('schedule-template');
    expect(pns.courseLengthDays).toBeLessThanOrEqual(60);
    const weekly = byId.get('weekly-conventional-4-week')!;
    expect(weekly.daysOfWeek.length).toBeLessThan(7);
    const wearable = byId.get('wearable-day-night-60-day')!;
    expect(wearable.slots.some((s) => s.intensity === 'night')).toBe(true);
    expect(wearable.nightIntensityPermille).toBeLessThan(1000);
    for (const slot of wearable.slots) expect(presetById.get(slot.presetId)!.program.durationMs).toBe(60 * 60_000);
  });
});

describe('citations', () => {
  /**
   * An identifier a reader can resolve: a DOI (10.<registrant>/<suffix>), a PubMed id, an ISBN, a
   * ClinicalTrials.gov id, or, for vendor documentation only, the URL of the document.
   */
  function identifierOf(c: Citation): string | null {
    if (c.doi !== undefined && /^10\.\d{4,9}\/\S+$/.test(c.doi)) return `doi:${c.doi}`;
    if (c.pmid !== undefined && /^[1-9]\d{0,8}$/.test(c.pmid)) return `PMID ${c.pmid}`;
    const isbn = /ISBN[ :]*((97[89][- ]?)?\d{1,5}[- ]?\d+[- ]?\d+[- ]?[\dX])/.exec(c.source);
    if (isbn) return `ISBN ${isbn[1]}`;
    if (c.trialId !== undefined && /^NCT\d{8}$/.test(c.trialId)) return c.trialId;
    if (c.url !== undefined && /\(vendor documentation\)/.test(c.authors) && /^https:\/\//.test(c.url)) return c.url;
    return null;
  }
  const catalogueCitations = (): Citation[] => {
    const all = [...BUILTIN_PRESETS.flatMap((p) => p.citations), ...BUILTIN_PROGRAMMES.flatMap((p) => p.citations), ...Object.values(CITATIONS)];
    return [...new Map(all.map((c) => [c.id, c])).values()];
  };

  test('every citation of the built-in catalogue is verified and carries a resolvable identifier (DOI, PMID, ISBN, trial id, or a vendor document URL)', () => {
    for (const c of catalogueCitations()) {
      expect(c.status, c.id).toBe('verified');
      expect(identifierOf(c), c.id).not.toBeNull();
    }
  });

  test('the identifier check cannot pass on a bare journal reference', () => {
    const bare: Citation = { id: 'x', authors: 'A B', year: 2000, title: 't', source: 'Exp Neurol 192(1):156–162', status: 'verified', supports: 's' };
    expect(identifierOf(bare)).toBeNull();
    expect(identifierOf({ ...bare, doi: 'not-a-doi' })).toBeNull();
    expect(identifierOf({ ...bare, url: 'https://example.org/paper' })).toBeNull(); // a URL counts only for vendor documents
    expect(identifierOf({ ...bare, pmid: '30658656' })).toBe('PMID 30658656');
    expect(identifierOf({ ...bare, source: 'Elsevier, ISBN 978-3-16-148410-0' })).toBe('ISBN 978-3-16-148410-0');
  });

  test('no built-in note or citation says "to verify"', () => {
    const text = JSON.stringify([BUILTIN_PRESETS, BUILTIN_PROGRAMMES, CITATIONS]);
    expect(text).not.toMatch(/to[- ]verify/i);
  });

  test('the corrected DOIs are the ones used', () => {
    expect(CITATIONS.jin2010.doi).toBe('10.1016/j.diabres.2010.03.021');
    expect(CITATIONS.gilmore2020.doi).toBe('10.1136/rapm-2019-100937');
    expect(CITATIONS.gilmore2020.source).toContain('45(1)');
    expect(CITATIONS.gozani2016.doi).toBe('10.2147/JPR.S111035');
  });
});
