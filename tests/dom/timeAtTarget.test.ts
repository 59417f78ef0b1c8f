/**
 * History names the dose for what it is: "time with output on" counts every second with current above 0
 * (ramps, titration, level changes); "time at target" counts only the seconds held at the target.
 */
import { describe, expect, test } from 'vitest';
import type { SummaryChunk } from '../../src/lib/session/recordTypes.ts';
import { atTargetToleranceUa, timeAtTargetMs } from '../../src/ui/components/history/doseText.ts';
import { chunk } from './historyFixtures.ts';

/** 18 s of output: 10 s ramping up to 8 mA, 3 s at 8 mA, 5 s at 60 mA (the level raised live). */
function rampHoldRaise(): SummaryChunk {
  const c = chunk('r', 18, 0);
  for (let s = 0; s < 10; s++) {
    c.minUa[s] = s * 800;
    c.maxUa[s] = (s + 1) * 800;
  }
  for (let s = 10; s < 13; s++) c.minUa[s] = c.maxUa[s] = 8_000;
  for (let s = 13; s < 18; s++) c.minUa[s] = c.maxUa[s] = 60_000;
  return c;
}

describe('time at target', () => {
  test('counts only the seconds held at the target: 3 s of an 18 s session', () => {
    expect(timeAtTargetMs([rampHoldRaise()], 0, 8_000)).toBe(3_000);
  });

  test('a second that dips out of the tolerance does not count; other channels are ignored', () => {
    const c = rampHoldRaise();
    c.minUa[11] = 8_000 - atTargetToleranceUa(8_000) - 1;
    expect(timeAtTargetMs([c, { ...rampHoldRaise(), channel: 1 }], 0, 8_000)).toBe(2_000);
  });

  test('no target or no telemetry: unknown, not zero', () => {
    expect(timeAtTargetMs([rampHoldRaise()], 0, null)).toBeNull();
    expect(timeAtTargetMs([], 0, 8_000)).toBeNull();
  });

  test('tolerance is 2 %, at least 0.1 mA', () => {
    expect(atTargetToleranceUa(1_000)).toBe(100);
    expect(atTargetToleranceUa(60_000)).toBe(1_200);
  });
});
