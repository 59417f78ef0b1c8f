/**
 * Every message on the wire, as a discriminated union on `type`. `seq` is the sender's own 16-bit
 * sequence number. Replies (ack, nack, info, status, impedance) carry `replyTo`: the seq of the request
 * they answer, or 0 when unsolicited (hosts never use seq 0).
 */
import type { ChannelState, FaultCode, FieldName, MessageType, NackCode } from './constants.ts';
import type { Program } from './program.ts';

interface Base<T extends MessageType> {
  type: T;
  seq: number;
}

// ---- host → board ----
export interface HelloMessage extends Base<'hello'> {
  /** Lowest and highest protocol versions the host speaks. */
  minVersion: number;
  maxVersion: number;
}
export type GetInfoMessage = Base<'getInfo'>;
export interface SetProgramMessage extends Base<'setProgram'> {
  program: Program;
}
export interface StartMessage extends Base<'start'> {
  channel: number;
}
export interface StopMessage extends Base<'stop'> {
  /** Channel, or ALL_CHANNELS (0xFF). */
  channel: number;
}
export interface SetAmplitudeMessage extends Base<'setAmplitude'> {
  channel: number;
  amplitudeUa: number;
}
export type EstopMessage = Base<'estop'>;
export type ClearFaultMessage = Base<'clearFault'>;
export type HeartbeatMessage = Base<'heartbeat'>;
export interface MeasureImpedanceMessage extends Base<'measureImpedance'> {
  channel: number;
}
export type GetStatusMessage = Base<'getStatus'>;

// ---- board → host ----
/** What an ACK echoes back, so the host can verify what the board will really play. */
export type AckEcho =
  | { kind: 'none' }
  | { kind: 'program'; program: Program }
  | { kind: 'amplitude'; channel: number; amplitudeUa: number };

export interface AckMessage extends Base<'ack'> {
  replyTo: number;
  /** The type of the accepted request. */
  ackedType: MessageType;
  echo: AckEcho;
}
export interface NackMessage extends Base<'nack'> {
  replyTo: number;
  rejectedType: MessageType;
  code: NackCode;
  field: FieldName;
  /** The offending value and the bound it broke (0 when not applicable). */
  value: number;
  bound: number;
}
export interface BoardCaps {
  channelCount: number;
  maxAmplitudeUa: number;
  maxPulseWidthUs: number;
  minFrequencyDeciHz: number;
  maxFrequencyDeciHz: number;
  /** Fastest amplitude rise the board will play, µA per second. */
  maxSlewUaPerS: number;
  /** Highest voltage the output stage can drive, mV; current clips above it. */
  complianceMv: number;
}
export interface InfoMessage extends Base<'info'> {
  replyTo: number;
  protocolVersion: number;
  firmwareMajor: number;
  firmwareMinor: number;
  firmwarePatch: number;
  watchdogMs: number;
  telemetryRateHz: number;
  caps: BoardCaps;
  /** ASCII, at most MAX_SERIAL_BYTES. */
  serialNumber: string;
}
export interface ChannelStatus {
  channel: number;
  state: ChannelState;
  /** Peak amplitude being delivered now, µA. */
  amplitudeUa: number;
  /** Amplitude the channel is heading to, µA. */
  targetUa: number;
  /** Time since START on this channel, ms (0 when idle). */
  elapsedMs: number;
}
export interface StatusMessage extends Base<'status'> {
  replyTo: number;
  uptimeMs: number;
  /** Latched fault, or null when none. */
  fault: FaultCode | null;
  /** Whether a HELLO has been accepted since the last reset. */
  helloDone: boolean;
  channels: ChannelStatus[];
}
export interface TelemetrySample {
  /** Delivered peak current, µA. */
  currentUa: number;
  /** Electrode voltage at that peak, mV. */
  voltageMv: number;
}
export interface TelemetryMessage extends Base<'telemetry'> {
  channel: number;
  /** Board uptime at the first sample, ms. */
  firstSampleMs: number;
  /** Time between samples, µs. */
  sampleIntervalUs: number;
  samples: TelemetrySample[];
}
export interface FaultMessage extends Base<'fault'> {
  code: FaultCode;
  /** Channel concerned, or ALL_CHANNELS. */
  channel: number;
  /** Code-specific detail (e.g. measured impedance in Ω for electrodeOff). */
  detail: number;
}
export interface ImpedanceMessage extends Base<'impedance'> {
  replyTo: number;
  channel: number;
  impedanceOhm: number;
  /** Whether the board considers the electrode contact good enough to start. */
  ok: boolean;
}

export type HostMessage =
  | HelloMessage
  | GetInfoMessage
  | SetProgramMessage
  | StartMessage
  | StopMessage
  | SetAmplitudeMessage
  | EstopMessage
  | ClearFaultMessage
  | HeartbeatMessage
  | MeasureImpedanceMessage
  | GetStatusMessage;

export type BoardMessage =
  | AckMessage
  | NackMessage
  | InfoMessage
  | StatusMessage
  | TelemetryMessage
  | FaultMessage
  | ImpedanceMessage;

export type Message = HostMessage | BoardMessage;

/** Narrow a Message by its tag. */
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;
