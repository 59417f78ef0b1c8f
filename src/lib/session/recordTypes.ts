/**
 * The durable session record. A record is stored as a header (this `SessionRecord`) plus its events and
 * per-second telemetry summaries in their own object stores keyed by [recordId, index], so a 12-hour
 * session appends cheaply and the header is written only at creation, at close and for pain ratings.
 */
import type {
  AckEcho,
  BoardCaps,
  ChannelState,
  EffectiveLimits,
  Bound,
  FaultCode,
  FieldName,
  LabCap,
  MessageType,
  NackCode,
  Program,
} from '../../../firmware-protocol/src/index.ts';
import type { PortIdentity } from '../transport/Transport.ts';
import type { SessionPlan } from './SessionPlan.ts';

/** How a session ended. */
export type SessionOutcome = 'completed' | 'stopped' | 'estopped' | 'fault' | 'connection-lost' | 'interrupted';

/** Why a session was stopped early (with outcome 'stopped'). */
export type StopReason = 'user' | 'daily-cap' | 'max-duration' | 'device-refused';

/** The engine's states, as recorded in phase events. */
export type SessionState = 'idle' | 'titrating' | 'ramping-up' | 'holding' | 'ramping-down' | 'pausing' | 'paused' | 'done';

export interface BoardIdentity {
  firmwareVersion: string;
  protocolVersion: number;
  serialNumber: string;
  caps: BoardCaps;
  watchdogMs: number;
  telemetryRateHz: number;
  port: PortIdentity;
}

export interface RecordLimits {
  /** Effective limits of the plan's mode in force when the session started (mode table ∩ caps ∩ lab cap). */
  effective: EffectiveLimits;
  /** Highest amplitude for this program and what binds it (includes r.m.s. and density limits). */
  amplitudeCeiling: Bound;
  labCap: LabCap | null;
  electrodeAreaCm2: number | null;
}

/** Delivered dose on one channel, computed from the board's telemetry (what reached the electrodes). */
export interface ChannelDose {
  channel: number;
  /** Time with delivered current > 0, ms. */
  activeMs: number;
  /** ∫ delivered peak current dt, µA·ms. */
  amplitudeIntegralUaMs: number;
  /** Primary-phase charge delivered, µC (Σ peak current × pulse width × pulse rate × dt). */
  chargeUc: number;
  /** Highest delivered peak current, µA. */
  peakUa: number;
  samples: number;
  sampleIntervalUs: number;
}

export type UserAction =
  | 'start'
  | 'titrate-up'
  | 'titrate-down'
  | 'titrate-accept'
  | 'pause'
  | 'resume'
  | 'stop'
  | 'estop'
  | 'electrodes-moved'
  /** A manual session's live amplitude change on the Control screen (raise or lower), to `valueUa`. */
  | 'set-level';

/** The host-side limits a SET_PROGRAM was checked against, logged with it. */
export interface ProgramLimitsLog {
  /** The channel's electrode area, cm² (null only in records from before an area was required). */
  electrodeAreaCm2: number | null;
  /** The r.m.s. current-density limit in force, µA/cm². */
  densityLimitUaPerCm2: number;
  /** Present when this session's density override raised the limit: the operator's reason. */
  densityOverrideReason?: string;
}

/** The command the engine is about to send (written BEFORE it is sent: write-ahead). */
export type CommandName = 'setProgram' | 'start' | 'stop' | 'setAmplitude' | 'estop' | 'clearFault';

export type RecordEventBody =
  | { kind: 'user'; action: UserAction; valueUa?: number }
  | { kind: 'phase'; from: SessionState; to: SessionState }
  | { kind: 'command'; command: CommandName; channel: number; program?: Program; amplitudeUa?: number; limits?: ProgramLimitsLog }
  | { kind: 'ack'; command: MessageType; seq: number; rttMs: number; echo: AckEcho }
  | { kind: 'nack'; command: MessageType; seq: number; code: NackCode; field: FieldName; value: number; bound: number }
  | { kind: 'timeout'; command: MessageType; seq: number; attempt: number }
  | { kind: 'command-error'; command: CommandName; errorName: string; errorCode: string; message: string }
  | { kind: 'fault'; source: 'board' | 'client'; code: FaultCode | string; channel: number | null; message: string; detail?: number }
  | { kind: 'connection'; state: string; previous: string }
  | { kind: 'board-status'; channel: number; state: ChannelState; amplitudeUa: number; targetUa: number; elapsedMs: number; fault: FaultCode | null }
  /** A per-session density override (channel and reason are absent in records from before they were required). */
  | { kind: 'override'; what: 'current-density'; limitUaPerCm2: number; defaultUaPerCm2: number; channel?: number; reason?: string }
  | { kind: 'limit'; limit: 'daily-cap' | 'max-duration' | 'host-backstop'; message: string; valueMs: number }
  | { kind: 'reminder'; reminder: 'move-electrodes'; siteMs: number }
  | { kind: 'pain'; when: 'pre' | 'post'; nrs: number }
  | { kind: 'warning'; message: string }
  | { kind: 'interrupted'; message: string }
  | { kind: 'outcome'; outcome: SessionOutcome; stopReason: StopReason | null; message: string };

export type RecordEventKind = RecordEventBody['kind'];

/** One stored event: monotonic time for ordering and intervals, wall time for people. */
export type RecordEvent = RecordEventBody & {
  recordId: string;
  index: number;
  monoMs: number;
  wallMs: number;
};

/**
 * Per-second telemetry summaries of one channel, 60 seconds to a chunk (typed arrays: 16 bytes per
 * second instead of ~150 as separate objects). Second `s` of the chunk is session second
 * `firstSecond + s`, counted on the board's clock from the session's first telemetry sample.
 */
export interface SummaryChunk {
  recordId: string;
  index: number;
  channel: number;
  firstSecond: number;
  /** Board uptime at the start of `firstSecond`, ms. */
  boardStartMs: number;
  /** Seconds filled so far (the last chunk may be partial). */
  seconds: number;
  minUa: Int32Array;
  meanUa: Int32Array;
  maxUa: Int32Array;
  /** Samples in each second (0 = no telemetry that second). */
  samples: Uint16Array;
  /** Samples with delivered current > 0 in each second. */
  activeSamples: Uint16Array;
  sampleIntervalUs: number;
}

export const SUMMARY_CHUNK_SECONDS = 60;

export interface PainRatings {
  pre: number | null;
  post: number | null;
}

/** The software that ran a session: which program, its version and the build it came from. */
export interface SoftwareIdentity {
  /** e.g. "StimBench app", "stimbench CLI". */
  name: string;
  /** The package version, e.g. "0.1.0". */
  version: string;
  /** The build id (commit and build time, or a release's id). */
  build: string;
}

export interface SessionRecord {
  id: string;
  status: 'open' | 'closed';
  createdMonoMs: number;
  createdWallMs: number;
  /** Wall time the session ended (or, when interrupted, of its last event). */
  endedWallMs: number | null;
  endedMonoMs: number | null;
  plan: SessionPlan;
  /**
   * Pseudonymous code of the person stimulated (participant.ts), e.g. "self" or "p01". Absent only on
   * records made before participant codes existed; the daily cap counts those against every participant.
   */
  participant?: string;
  board: BoardIdentity;
  /** The software that ran the session; absent in records made before it was recorded. */
  software?: SoftwareIdentity;
  limits: RecordLimits;
  outcome: SessionOutcome | null;
  stopReason: StopReason | null;
  outcomeMessage: string | null;
  /** The amplitude the session ran at: the titrated value, or the plan's target, µA. */
  targetUa: number | null;
  dose: ChannelDose[];
  pain: PainRatings;
  /** Filled at close: how many events and summary chunks belong to this record. */
  eventCount: number | null;
  summaryChunkCount: number | null;
}

/** A record with everything that belongs to it, as exported. */
export interface FullRecord {
  record: SessionRecord;
  events: RecordEvent[];
  summaries: SummaryChunk[];
}
