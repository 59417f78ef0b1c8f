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
