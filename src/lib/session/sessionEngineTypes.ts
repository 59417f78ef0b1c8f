/** What a SessionEngine is built with, what start() takes, and the snapshot its listeners receive. */
import type { Clock } from '../clock.ts';
import type { DensityOverride } from '../device/densityOverride.ts';
import type { StimulatorDevice } from '../device/types.ts';
import type { SessionRecordPort } from './recordPorts.ts';
import type { SessionOutcome, SessionState, SoftwareIdentity, StopReason } from './recordTypes.ts';

export interface SessionEngineOptions {
  device: StimulatorDevice;
  store: SessionRecordPort;
  clock: Clock;
  /** Stimulation allowed per participant (over every channel) per rolling window, ms. Default 12 h. */
  dailyCapMs?: number;
  /** The rolling window, ms. Default 24 h. */
  dailyWindowMs?: number;
  /** Remind to move the electrodes after this much stimulation on one site, ms. Default 4 h. */
  siteReminderMs?: number;
  /** Stimulation already delivered on this site before this session, ms (the UI may carry it over). */
  siteMsAtStart?: number;
  /** Engine tick (remaining time, reminders, backstop), ms. Default 1000. */
  tickMs?: number;
  /** How long past a run's programmed end the engine waits before stopping it itself, ms. Default 3000. */
  backstopGraceMs?: number;
  /** Wait this long after the end for the board's last telemetry batch before closing the record, ms. Default 250. */
  trailingTelemetryMs?: number;
  /** Summary flush period, board seconds. Default 10. */
  summaryFlushSeconds?: number;
  newId?: () => string;
  /** The software running the session, written into every record so a result can be traced to it. */
  software?: SoftwareIdentity;
}

export interface StartOptions {
  /** Pain before the session, NRS 0–10. */
  painPre?: number;
  /** Raise the current-density limit for this session only, with the operator's reason (recorded). */
  densityOverride?: DensityOverride;
  /** Pseudonymous code of the person stimulated (participant.ts). Default "self". */
  participant?: string;
}

export interface SessionSnapshot {
  state: SessionState;
  recordId: string | null;
  channel: number | null;
  /** Stimulated time so far (ramps included, pauses excluded), ms. */
  elapsedMs: number;
  /** Planned stimulation time left, ms. */
  remainingMs: number;
  /** Titration level, or the amplitude the session runs at, µA. */
  levelUa: number;
  /** The accepted target (null while titrating), µA. */
  targetUa: number | null;
  titrating: boolean;
  outcome: SessionOutcome | null;
  stopReason: StopReason | null;
  message: string | null;
  /** Daily-cap stimulation time left to this participant (over every channel) when the session started, ms. */
  dailyBudgetMs: number | null;
  /** True after a move-the-electrodes reminder until electrodesMoved(). */
  moveElectrodesDue: boolean;
}
