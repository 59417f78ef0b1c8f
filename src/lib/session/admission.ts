/**
 * Daily-cap admission of a session: how much of the participant's cap is left, from the durable
 * records, and how long this session may run. Admissions on one record store run one at a time, from
 * reading the records until the new session's own record exists, so two sessions started at once (one
 * per channel, for the same person) can never both be given the same remaining time.
 */
import { MIN_DURATION_MS, type Program } from '../../../firmware-protocol/src/index.ts';
import type { SessionRecordPort } from './recordPorts.ts';
import { dailyUsageMs } from './dailyUsage.ts';
import { SessionRefusedError } from './errors.ts';

export interface DailyCapAdmission {
  /** The participant's stimulation in the window before this session, ms. */
  usedMs: number;
  /** Cap left, ms. */
  budgetMs: number;
  /** What this session's first run may last: the plan's duration, shortened to the budget, ms. */
  firstDurationMs: number;
}

export interface DailyCapRule {
  capMs: number;
  windowMs: number;
}

/** Refuses (SessionRefusedError DAILY_CAP) when less is left than one run needs (its ramps, or the protocol minimum). */
export async function admitDailyCap(store: SessionRecordPort, participant: string, program: Program, nowWallMs: number, rule: DailyCapRule): Promise<DailyCapAdmission> {
  const records = await store.recordsTouching(nowWallMs - rule.windowMs);
  const usedMs = dailyUsageMs(records, participant, nowWallMs, rule.windowMs);
  const budgetMs = Math.max(0, rule.capMs - usedMs);
  const firstDurationMs = Math.min(program.durationMs, budgetMs);
  const needMs = Math.max(MIN_DURATION_MS, program.rampUpMs + program.rampDownMs);
  if (firstDurationMs < needMs) {
    throw new SessionRefusedError(
      'DAILY_CAP',
      `start(): daily cap reached for participant "${participant}": ${Math.round(usedMs / 60_000)} min of ${Math.round(rule.capMs / 60_000)} min used in the last ${Math.round(rule.windowMs / 3_600_000)} h over every channel; expected at least ${needMs} ms left, got ${budgetMs} ms`,
    );
  }
  return { usedMs, budgetMs, firstDurationMs };
}

const queues = new WeakMap<SessionRecordPort, Promise<void>>();

/**
 * Wait for earlier admissions on `store` to finish, then hold the admission until the returned
 * release function is called (calling it again does nothing).
 */
export async function acquireAdmission(store: SessionRecordPort): Promise<() => void> {
  const previous = queues.get(store) ?? Promise.resolve();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  queues.set(store, previous.then(() => held));
  await previous;
  return release;
}
