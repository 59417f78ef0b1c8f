/**
 * The client's typed errors. Each has a stable `code` and says what was expected and what was got.
 * A program or amplitude that fails validation throws firmware-protocol's ProgramRejectedError (re-exported
 * here) before any byte is written.
 */
import type { AckEcho, HostMessage, NackMessage, Program } from '../../../firmware-protocol/src/index.ts';
import type { ConnectionState } from './types.ts';

export { ProgramRejectedError } from '../../../firmware-protocol/src/index.ts';

export type DeviceErrorCode =
  | 'NOT_CONNECTED'
  | 'INVALID_STATE'
  | 'INVALID_ARGUMENT'
  | 'REQUEST_TIMEOUT'
  | 'NACK'
  | 'INCOMPATIBLE_FIRMWARE'
  | 'ACK_MISMATCH'
  | 'CONNECTION_LOST'
  | 'CANCELLED'
  | 'COMPLIANCE_EXCEEDED';

export class DeviceError extends Error {
  override name = 'DeviceError';
  readonly code: DeviceErrorCode;
  constructor(
    code: DeviceErrorCode,
    message: string,
  ) {
    super(message);
    this.code = code;
  }
}

/** No board is connected (state disconnected or still connecting). */
export class NotConnectedError extends DeviceError {
  override name = 'NotConnectedError';
  readonly operation: string;
  readonly state: ConnectionState;
  constructor(
    operation: string,
    state: ConnectionState,
  ) {
    super('NOT_CONNECTED', `${operation}: no board connected (expected state ready, stimulating or faulted; got ${state})`);
    this.operation = operation;
    this.state = state;
  }
}

/** The operation is not allowed in the present state (e.g. start() while faulted, start() with no verified program). */
export class InvalidStateError extends DeviceError {
  override name = 'InvalidStateError';
  readonly operation: string;
  readonly expected: string;
  readonly got: string;
  constructor(
    operation: string,
    expected: string,
    got: string,
  ) {
    super('INVALID_STATE', `${operation}: expected ${expected}, got ${got}`);
    this.operation = operation;
    this.expected = expected;
    this.got = got;
  }
}

/** An argument outside what the board can take (e.g. a channel it does not have); nothing was sent. */
export class InvalidArgumentError extends DeviceError {
  override name = 'InvalidArgumentError';
  readonly field: string;
  readonly value: unknown;
  readonly expected: string;
  constructor(
    field: string,
    value: unknown,
    expected: string,
  ) {
    super('INVALID_ARGUMENT', `${field}: expected ${expected}, got ${String(value)}`);
    this.field = field;
    this.value = value;
    this.expected = expected;
  }
}

/** No reply within the per-request timeout, after every allowed attempt. */
export class RequestTimeoutError extends DeviceError {
  override name = 'RequestTimeoutError';
  readonly request: HostMessage;
  readonly attempts: number;
  readonly timeoutMs: number;
  constructor(
    request: HostMessage,
    attempts: number,
    timeoutMs: number,
  ) {
    super('REQUEST_TIMEOUT', `${request.type} (seq ${request.seq}): no reply within ${timeoutMs} ms after ${attempts} attempt(s)`);
    this.request = request;
    this.attempts = attempts;
    this.timeoutMs = timeoutMs;
  }
}

/** The board refused the request; its state is unchanged (PROTOCOL.md). */
export class NackError extends DeviceError {
  override name = 'NackError';
  readonly request: HostMessage;
  readonly nack: NackMessage;
  constructor(
    request: HostMessage,
    nack: NackMessage,
  ) {
    super('NACK', `${request.type} (seq ${request.seq}) refused by the board: ${nack.code} on ${nack.field} (value ${nack.value}, bound ${nack.bound})`);
    this.request = request;
    this.nack = nack;
  }
}

export interface VersionRange {
  min: number;
  max: number;
}

/** The board speaks no protocol version this host does. */
export class IncompatibleFirmwareError extends DeviceError {
  override name = 'IncompatibleFirmwareError';
  readonly expected: VersionRange;
  readonly got: VersionRange;
  constructor(
    expected: VersionRange,
    got: VersionRange,
    detail: string,
  ) {
    const range = (r: VersionRange) => (r.min === r.max ? `v${r.min}` : `v${r.min}–v${r.max}`);
    super('INCOMPATIBLE_FIRMWARE', `incompatible firmware: this app speaks protocol ${range(expected)}, the board ${range(got)} (${detail}); update the firmware or the app`);
    this.expected = expected;
    this.got = got;
  }
}

/** The board's ACK echo differs from what was sent: the board would play something else. Treated as a fault. */
export class AckMismatchError extends DeviceError {
  override name = 'AckMismatchError';
  readonly sent: Program | { channel: number; amplitudeUa: number };
  readonly echoed: AckEcho;
  readonly fields: string[];
  constructor(
    sent: Program | { channel: number; amplitudeUa: number },
    echoed: AckEcho,
    fields: string[],
  ) {
    super('ACK_MISMATCH', `ACK echo differs from what was sent (${fields.join(', ')}); output stopped with ESTOP`);
    this.sent = sent;
    this.echoed = echoed;
    this.fields = fields;
  }
}

/** The link to the board is gone (unplug, stream failure); output is stopped by the board's watchdog. */
export class ConnectionLostError extends DeviceError {
  override name = 'ConnectionLostError';
  constructor(detail: string) {
    super('CONNECTION_LOST', `connection to the board lost (${detail}); the board's watchdog stops its output`);
  }
}

/** A request dropped before it was (re)written, because an ESTOP superseded it. */
export class CancelledError extends DeviceError {
  override name = 'CancelledError';
  readonly request: HostMessage;
  constructor(
    request: HostMessage,
    reason: string,
  ) {
    super('CANCELLED', `${request.type} (seq ${request.seq}) cancelled: ${reason}`);
    this.request = request;
  }
}

/**
 * The peak amplitude would need a higher voltage across the measured electrode load than the board's
 * output stage can drive (I_peak · Z > complianceMv): the current would clip, so what the user set is not
 * what would be delivered. Refused before anything is sent. Channel in the message is 1-based.
 */
export class ComplianceExceededError extends DeviceError {
  override name = 'ComplianceExceededError';
  readonly channel: number;
  readonly amplitudeUa: number;
  readonly impedanceOhm: number;
  readonly peakVoltageMv: number;
  readonly complianceMv: number;
  constructor(
    channel: number,
    amplitudeUa: number,
    impedanceOhm: number,
    peakVoltageMv: number,
    complianceMv: number,
  ) {
    super(
      'COMPLIANCE_EXCEEDED',
      `Channel ${channel + 1}: ${(amplitudeUa / 1000).toFixed(1)} mA into the measured ${impedanceOhm.toLocaleString('en-US')} Ω needs ` +
        `${(peakVoltageMv / 1000).toFixed(1)} V, above the board's ${(complianceMv / 1000).toFixed(1)} V compliance voltage; nothing was sent. ` +
        'Lower the amplitude, or improve the electrode contact and measure again.',
    );
    this.channel = channel;
    this.amplitudeUa = amplitudeUa;
    this.impedanceOhm = impedanceOhm;
    this.peakVoltageMv = peakVoltageMv;
    this.complianceMv = complianceMv;
  }
}
