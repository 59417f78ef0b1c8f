/** Protocol constants. Every table here is append-only: codes are never renumbered or reused. */

/** The protocol version this implementation speaks. HELLO negotiates it. */
export const PROTOCOL_VERSION = 1;
/** Versions this implementation can decode. */
export const SUPPORTED_VERSIONS: readonly number[] = [1];

/** Header: version u8 | type u8 | seq u16. */
export const HEADER_BYTES = 4;
/** Trailer: CRC-32C u32. */
export const CRC_BYTES = 4;
/** Largest decoded frame (header + body + CRC). A telemetry batch of 100 samples fits. */
export const MAX_FRAME_BYTES = 1024;
export const MAX_BODY_BYTES = MAX_FRAME_BYTES - HEADER_BYTES - CRC_BYTES;
/** Largest COBS-encoded frame, without the delimiter. */
export const MAX_ENCODED_FRAME_BYTES = MAX_FRAME_BYTES + Math.floor(MAX_FRAME_BYTES / 254) + 1;

/** Samples per TELEMETRY frame at most (8 bytes each). */
export const MAX_TELEMETRY_SAMPLES = 100;
/** Longest serial-number string in INFO, ASCII bytes. */
export const MAX_SERIAL_BYTES = 32;
/** Channel value meaning "every channel" in STOP. */
export const ALL_CHANNELS = 0xff;

/** Host sends HEARTBEAT this often while connected, ms. */
export const HEARTBEAT_PERIOD_MS = 100;
/** Default board watchdog: output is zeroed after this long without a valid frame, ms. */
export const DEFAULT_WATCHDOG_MS = 500;

/** Type codes. Host → board below 0x80, board → host from 0x80. Append only. */
export const TYPE_CODES = {
  hello: 0x01,
  getInfo: 0x02,
  setProgram: 0x03,
  start: 0x04,
  stop: 0x05,
  setAmplitude: 0x06,
  estop: 0x07,
  clearFault: 0x08,
  heartbeat: 0x09,
  measureImpedance: 0x0a,
  getStatus: 0x0b,
  ack: 0x81,
  nack: 0x82,
  info: 0x83,
  status: 0x84,
  telemetry: 0x85,
  fault: 0x86,
  impedance: 0x87,
} as const;
export type MessageType = keyof typeof TYPE_CODES;

/** NACK reasons. Append only. */
export const NACK_CODES = {
  badLength: 1,
  unsupportedVersion: 2,
  helloRequired: 3,
  outOfRange: 4,
  rmsCurrent: 5,
  badChannel: 6,
  noProgram: 7,
  faultLatched: 8,
  impedanceFail: 9,
  busy: 10,
  badEnum: 11,
  badState: 12,
  chargePerPhase: 13,
} as const;
export type NackCode = keyof typeof NACK_CODES;

/** Fault codes in FAULT and STATUS. Append only. 0 means "no fault". */
export const FAULT_CODES = {
  estop: 1,
  watchdog: 2,
  electrodeOff: 3,
  overcurrent: 4,
  complianceLimit: 5,
  reset: 6,
  internal: 7,
  durationExceeded: 8,
} as const;
export type FaultCode = keyof typeof FAULT_CODES;

/** Field ids used in NACK to name the offending field. 0 means "no particular field". Append only. */
export const FIELD_IDS = {
  none: 0,
  channel: 1,
  mode: 2,
  waveform: 3,
  frequencyDeciHz: 4,
  pulseWidthUs: 5,
  amplitudeUa: 6,
  durationMs: 7,
  rampUpMs: 8,
  rampDownMs: 9,
  burstPulses: 10,
  burstFrequencyDeciHz: 11,
  sweepHighDeciHz: 12,
  sweepPeriodMs: 13,
  version: 14,
} as const;
export type FieldName = keyof typeof FIELD_IDS;

/** Channel run states in STATUS. Append only. */
export const CHANNEL_STATES = ['idle', 'ramping-up', 'holding', 'ramping-down'] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];

/** Reverse lookup: numeric code → name, or undefined. */
export function nameOfCode<T extends Record<string, number>>(table: T, code: number): keyof T | undefined {
  for (const key in table) if (table[key] === code) return key;
  return undefined;
}
