/** The engine clock's rules on their own (the engine tests prove them inside whole sessions on virtual time). */
import { describe, expect, test } from 'vitest';
import { backstopStep, siteRemindersDue } from '../../src/lib/session/runClock.ts';

describe('siteRemindersDue', () => {
  const hourMs = 3_600_000;
  test('one reminder per full period on the site, never again for a period already reminded', () => {
    expect(siteRemindersDue(4 * hourMs - 1, 0, 4 * hourMs)).toBeNull();
    expect(siteRemindersDue(4 * hourMs, 0, 4 * hourMs)).toBe(1);
    expect(siteRemindersDue(5 * hourMs, 1, 4 * hourMs)).toBeNull();
    expect(siteRemindersDue(8 * hourMs, 1, 4 * hourMs)).toBe(2);
  });
  test('a period of 0 turns reminders off', () => {
    expect(siteRemindersDue(100 * hourMs, 0, 0)).toBeNull();
  });
});

describe('backstopStep', () => {
  const program = { durationMs: 60_000, rampDownMs: 2_000 };
  test('waits until the grace past the programmed end, then queries once', () => {
    expect(backstopStep(1_000 + 60_000 + 2_999, 1_000, program, 3_000, null)).toEqual({ kind: 'wait' });
    expect(backstopStep(1_000 + 60_000 + 3_000, 1_000, program, 3_000, null)).toEqual({ kind: 'query', overdueMs: 3_000 });
  });
  test('after the query, ESTOP only once a full ramp-down plus the grace has gone by', () => {
    const queriedAtMs = 64_000;
    expect(backstopStep(queriedAtMs + 5_000, 1_000, program, 3_000, queriedAtMs)).toEqual({ kind: 'wait' });
    expect(backstopStep(queriedAtMs + 5_001, 1_000, program, 3_000, queriedAtMs)).toEqual({ kind: 'estop', sinceStartMs: queriedAtMs + 5_001 - 1_000 });
  });
});
