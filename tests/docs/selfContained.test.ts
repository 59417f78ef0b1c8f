/**
 * The repository's documents stand on their own: every Markdown document that code or docs cite by name
 * exists in the repository, and SAFETY.md says what a user must know before stimulating anyone (scope
 * against IEC 60601-2-10, contraindications, numb skin).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BUILTIN_PRESETS } from '../../src/lib/presets/builtinPresets.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SKIP = new Set(['node_modules', '.git', 'dist', 'coverage', 'test-artifacts', '.vite', '.ci']);
const TEXT = /\.(ts|js|svelte|md|json|html|c|h)$/;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Build outputs (dist, dist-dashboard and their temporary siblings) are not documents, and may be
    // half-written while another test builds them.
    if (SKIP.has(entry.name) || entry.name.startsWith('dist-dashboard') || entry.name.startsWith('dist.tmp-')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (TEXT.test(entry.name)) yield path;
  }
}

const all = [...files(ROOT)];
const present = new Set(all.map((f) => f.split('/').pop()!));

describe('documents stand on their own', () => {
  test('every UPPER-CASE .md document cited anywhere in the code or docs exists in the repository', () => {
    const missing: string[] = [];
    for (const file of all) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b([A-Z][A-Z0-9_-]*\.md)\b/g)) {
        if (!present.has(m[1]!)) missing.push(`${relative(ROOT, file)} cites ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('SAFETY.md', () => {
  const safety = readFileSync(join(ROOT, 'SAFETY.md'), 'utf8');

  test('states the IEC 60601-2-10 exclusions and that StimBench follows its limits as bench practice, not as a claim of conformity', () => {
    expect(safety).toMatch(/excludes equipment intended to be implanted\s+or connected to implanted electrodes/);
    expect(safety).toMatch(/neurological research/);
    expect(safety).toMatch(/as a bench practice; it does not claim conformity with IEC 60601-2-10/);
  });

  test.each([
    ['epilepsy', /epilepsy/],
    ['pregnancy anywhere on the body', /pregnant, anywhere on the body/],
    ['bleeding tendency', /bleeding tendency/],
    ['recent surgery', /recent surgery/],
    ['ECG monitors', /ECG monitors/],
    ['use while asleep', /while asleep/],
    ['children', /children/i],
    ['undiagnosed pain', /pain whose cause has not been diagnosed/],
    ['numb skin and how to titrate there', /\*\*Numb skin\.\*\*[\s\S]*Never titrate[\s\S]*normal sensation first/],
  ])('lists the contraindication or precaution: %s', (_name, pattern) => {
    expect(safety).toMatch(pattern);
  });

  test('the diabetic-neuropathy preset (numb feet) says how to titrate there', () => {
    const pdn = BUILTIN_PRESETS.find((p) => p.id === 'pdn-2hz-30min')!;
    expect(pdn.notes.join(' ')).toMatch(/Numb feet: .*do not titrate on numb skin.*normal sensation/);
  });
});
