/**
 * The engine clock's two rules, as pure functions of the times involved (the run applies them on each
 * tick): the move-the-electrodes reminder, and the host backstop for a run the board should already have
 * ended at its programmed duration.
 */
import type { Program } from '../../../firmware-protocol/src/index.ts';

/**
 * The number of reminders due after `siteMs` of stimulation on one site, one every `reminderMs`, or null
 * when none is due beyond the `given` already shown (or reminders are off: reminderMs 0).
 */
export function siteRemindersDue(siteMs: number, given: number, reminderMs: number): number | null {
  if (reminderMs <= 0 || siteMs < (given + 1) * reminderMs) return null;
  return Math.floor(siteMs / reminderMs);
}

/**
 * What the backstop does now: `wait`; `query` the board (once, `overdueMs` past the programmed end plus
 * the grace): idle ends the run, anything else gets a STOP; or `estop` when the board is still not idle a
 * full ramp-down plus the grace after that query.
 */
export type BackstopStep = { kind: 'wait' } | { kind: 'query'; overdueMs: number } | { kind: 'estop'; sinceStartMs: number };

export function backstopStep(nowMs: number, runStartMs: number, program: Pick<Program, 'durationMs' | 'rampDownMs'>, graceMs: number, queriedAtMs: number | null): BackstopStep {
  const overdueMs = nowMs - runStartMs - program.durationMs;
  if (overdueMs < graceMs) return { kind: 'wait' };
  if (queriedAtMs === null) return { kind: 'query', overdueMs };
  if (nowMs - queriedAtMs > program.rampDownMs + graceMs) return { kind: 'estop', sinceStartMs: nowMs - runStartMs };
  return { kind: 'wait' };
}
