/**
 * How a session outcome, a stop reason and a lab-sync state are shown: a word (what e2e tests and
 * screen readers read), an icon shape and a tone. The tone only adds colour; the word carries the state.
 */
import type { SessionOutcome, StopReason } from '../../../lib/session/recordTypes.ts';
import type { SyncState } from '../../../lib/sync/types.ts';
import type { IconName } from './iconName.ts';

export type Tone = 'ok' | 'warn' | 'danger' | 'neutral';

export interface StateLook {
  label: string;
  icon: IconName;
  tone: Tone;
}

export const OUTCOME_LOOK: Record<SessionOutcome, StateLook> = {
  completed: { label: 'Completed', icon: 'check', tone: 'ok' },
  stopped: { label: 'Stopped', icon: 'stop', tone: 'warn' },
  estopped: { label: 'E-stopped', icon: 'octagon', tone: 'danger' },
  fault: { label: 'Fault', icon: 'warning', tone: 'danger' },
  'connection-lost': { label: 'Connection lost', icon: 'unplugged', tone: 'danger' },
  interrupted: { label: 'Interrupted', icon: 'interrupted', tone: 'danger' },
};

/** A record still open (a session running now, or one not yet recovered). */
export const OPEN_LOOK: StateLook = { label: 'In progress', icon: 'open', tone: 'neutral' };

export function outcomeLook(outcome: SessionOutcome | null): StateLook {
  return outcome === null ? OPEN_LOOK : OUTCOME_LOOK[outcome];
}

/**
 * The engine's outcome message without the words that repeat the outcome shown beside it: "Completed"
 * then "completed", "E-stopped" then "ESTOP", "Completed: completed: 4 s were left" become the outcome
 * word alone, or the outcome word and "4 s were left"; a message that only repeats the stop reason shown
 * beside it goes too. Null when nothing is left to say.
 */
export function outcomeDetail(outcome: SessionOutcome, message: string | null, stopReason: StopReason | null = null): string | null {
  if (message === null) return null;
  // "Stopped (stopped by the user): stopped by the user": the reason is already said beside it.
  if (stopReason !== null && message.trim().toLowerCase() === STOP_REASON_TEXT[stopReason].toLowerCase()) return null;
  const letters = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');
  const label = OUTCOME_LOOK[outcome].label;
  const m = message.trim();
  if (letters(m) === letters(label) || letters(m) === letters(outcome) || (outcome === 'estopped' && letters(m) === 'estop')) return null;
  for (const word of [label, outcome]) {
    if (m.toLowerCase().startsWith(`${word.toLowerCase()}:`)) return m.slice(word.length + 1).trim() || null;
  }
  return m;
}

export const STOP_REASON_TEXT: Record<StopReason, string> = {
  user: 'stopped by the user',
  'daily-cap': 'the daily stimulation cap was reached',
  'max-duration': "the mode's longest single session was reached",
  'device-refused': 'the board refused a command',
};

/** Shown wherever an interrupted record appears (the e2e reload test looks for "interrupted"). */
export const INTERRUPTED_EXPLANATION = 'interrupted — the page was closed or reloaded mid-session; never resumed';

export const SYNC_LOOK: Record<SyncState, StateLook> = {
  pending: { label: 'Pending', icon: 'clock', tone: 'warn' },
  delivered: { label: 'Delivered', icon: 'check', tone: 'ok' },
  failed: { label: 'Failed', icon: 'cross', tone: 'danger' },
  conflict: { label: 'Conflict', icon: 'warning', tone: 'danger' },
};
