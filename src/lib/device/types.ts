/**
 * The public face of a connected board, as the session engine and the UI see it. StimulatorClient
 * implements it; session tests may drive it against the simulated board through a real client.
 */
import type {
  AckMessage,
  FaultCode,
  FaultMessage,
  HostMessage,
  ImpedanceMessage,
  InfoMessage,
  NackMessage,
  Program,
  StatusMessage,
  TelemetryMessage,
  ValidationContext,
  ValidationResult,
  DropCounters,
} from '../../../firmware-protocol/src/index.ts';
import type { PortIdentity } from '../transport/Transport.ts';
import type { LimitsSettings } from './ChannelLimits.ts';
import type { DensityOverride } from './densityOverride.ts';

/**
 * Connection states. disconnected → connecting → ready ⇄ stimulating; any → faulted (board latched a
 * fault or the client saw a safety mismatch; leave with clearFault()); any open state → lost (link
 * gone; leave only by a new connect(), which never resumes stimulation).
 */
export type ConnectionState = 'disconnected' | 'connecting' | 'ready' | 'stimulating' | 'faulted' | 'lost';

/** A fault seen by the client itself (not reported by the board). */
export type ClientFaultCode = 'ack-mismatch' | 'board-silent' | 'connection-lost' | 'board-reset';

export interface DeviceFault {
  source: 'board' | 'client';
  code: FaultCode | ClientFaultCode;
  channel: number | null;
  message: string;
  /** The board's FAULT message, when the board sent one. */
  board?: FaultMessage;
}

/** Everything that crossed the wire that a record must keep: what was sent and what came back. */
export type CommandEvent =
  | { kind: 'sent'; message: HostMessage; atMs: number }
  | { kind: 'ack'; request: HostMessage; ack: AckMessage; atMs: number; rttMs: number }
  | { kind: 'nack'; request: HostMessage; nack: NackMessage; atMs: number }
  /** Replies that are not ACKs: INFO (to HELLO/GET_INFO), STATUS (to GET_STATUS), IMPEDANCE (to MEASURE_IMPEDANCE). */
  | { kind: 'reply'; request: HostMessage; reply: InfoMessage | StatusMessage | ImpedanceMessage; atMs: number; rttMs: number }
  | { kind: 'timeout'; request: HostMessage; atMs: number; attempt: number };

export interface LinkHealth {
  /** Frames the host decoder dropped, by reason. */
  drops: DropCounters;
  heartbeatsSent: number;
  heartbeatAcks: number;
  /** Monotonic time of the last valid frame from the board, ms (null before any). */
  lastRxMs: number | null;
  /** Round trip of the most recent acknowledged request, ms. */
  lastRttMs: number | null;
}

export interface DeviceEvents {
  state: (state: ConnectionState, previous: ConnectionState) => void;
  telemetry: (message: TelemetryMessage) => void;
  status: (message: StatusMessage) => void;
  fault: (fault: DeviceFault) => void;
  command: (event: CommandEvent) => void;
}

export interface StimulatorDevice {
  readonly state: ConnectionState;
  readonly info: InfoMessage | null;
  readonly identity: PortIdentity;
  readonly linkHealth: LinkHealth;
  /** Board caps (from INFO) + lab cap: the part of every validation context shared by all channels. */
  readonly validationContext: ValidationContext;
  /** The whole context a program on `channel` is validated in: adds its electrode area and any density override. */
  validationContextFor(channel: number): ValidationContext;
  /** Replace the lab cap and per-channel electrode areas; InvalidArgumentError on implausible values. */
  setLimitsContext(context: LimitsSettings): void;
  /** Raise the density limit on `channel` for one session (null ends it); InvalidArgumentError if not allowed. */
  setDensityOverride(channel: number, override: DensityOverride | null): void;
  densityOverride(channel: number): DensityOverride | null;
  /** Validate `program` in the context of its channel (a channel with no electrode area is refused). */
  validate(program: Program): ValidationResult;

  /** Open the transport, HELLO (version check), GET_INFO. Throws IncompatibleFirmwareError etc. */
  connect(): Promise<InfoMessage>;
  /** Stop all output (ramped STOP, ESTOP if that fails), stop heartbeats, close the transport. */
  disconnect(): Promise<void>;

  /** Validate, send, and verify the ACK echo equals what was sent; returns the echoed program. */
  setProgram(program: Program): Promise<Program>;
  start(channel: number): Promise<void>;
  /** Ramped stop of one channel, or ALL_CHANNELS. */
  stop(channel: number): Promise<void>;
  /** Live amplitude change (validated against the channel's program); returns the echoed amplitude. */
  setAmplitude(channel: number, amplitudeUa: number): Promise<number>;
  /** Immediate stop of every channel; jumps every queue. Resolves once the frame is written. */
  estop(): Promise<void>;
  clearFault(): Promise<void>;
  measureImpedance(channel: number): Promise<{ impedanceOhm: number; ok: boolean }>;
  getStatus(): Promise<StatusMessage>;

  on<E extends keyof DeviceEvents>(event: E, listener: DeviceEvents[E]): () => void;
}
