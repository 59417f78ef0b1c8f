/**
 * The C firmware's numbers come from the TypeScript tables: the committed generated headers must be
 * exactly what firmware-protocol/c/tools/generate.ts renders now. `npm run gen:c` (UPDATE_GENERATED=1)
 * rewrites them after a deliberate change to the tables or the vectors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODE_LIMITS, NACK_CODES, TYPE_CODES } from '../../firmware-protocol/src/index.ts';
import {
  GENERATED_HEADER_PATH,
  VECTORS_HEADER_PATH,
  renderGeneratedHeader,
  renderVectorsHeader,
  upperSnake,
} from '../../firmware-protocol/c/tools/generate.ts';

const update = process.env.UPDATE_GENERATED === '1';

describe('C generated headers', () => {
  for (const [name, path, render] of [
    ['sb_generated.h', GENERATED_HEADER_PATH, renderGeneratedHeader],
    ['sb_vectors.h', VECTORS_HEADER_PATH, renderVectorsHeader],
  ] as const) {
    it(`${name} matches the TypeScript tables and vectors`, () => {
      const rendered = render();
      if (update) writeFileSync(path, rendered);
      expect(readFileSync(path, 'utf8')).toBe(rendered);
    });
  }

  it('names every type code, NACK code and mode limit with its TypeScript value', () => {
    const header = renderGeneratedHeader();
    for (const [name, code] of Object.entries(TYPE_CODES)) {
      expect(header).toContain(`#define SB_TYPE_${upperSnake(name)} 0x${code.toString(16).padStart(2, '0').toUpperCase()}u`);
    }
    for (const [name, code] of Object.entries(NACK_CODES)) expect(header).toContain(`#define SB_NACK_${upperSnake(name)} ${code}u`);
    expect(header).toContain(`${MODE_LIMITS['low-frequency'].maxAmplitudeUa}u, ${MODE_LIMITS['low-frequency'].maxDurationMs}u`);
  });

  it('a drifted table is caught: changing one limit changes the rendered header', () => {
    const before = renderGeneratedHeader();
    const limits = MODE_LIMITS.conventional as { maxAmplitudeUa: number };
    const original = limits.maxAmplitudeUa;
    try {
      limits.maxAmplitudeUa = original + 1;
      expect(renderGeneratedHeader()).not.toBe(before);
    } finally {
      limits.maxAmplitudeUa = original;
    }
  });
});
