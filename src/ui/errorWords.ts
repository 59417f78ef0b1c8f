/**
 * Errors and faults in plain words. Every typed error and fault code has a sentence here that names the
 * cause with units and 1-based channels; the class name, code and raw message stay available as `detail`
 * (shown as a muted "code: …" line, and kept in the session record by the recorder).
 */
import { ALL_CHANNELS, type FaultCode, type FieldName, type HostMessage, type NackCode, type NackMessage } from '../../firmware-protocol/src/index.ts';
import { ProtocolError, ProgramRejectedError } from '../../firmware-protocol/src/errors.ts';
import { DeviceError, type DeviceErrorCode, NackError, RequestTimeoutError } from '../lib/device/errors.ts';
import type { ClientFaultCode, DeviceFault } from '../lib/device/types.ts';
import { SessionError, type SessionErrorCode } from '../lib/session/errors.ts';
import { StorageError } from '../lib/session/recordErrors.ts';
import { SyncError } from '../lib/sync/errors.ts';
import { TransportError, type TransportErrorCode } from '../lib/transport/Transport.ts';

export interface ErrorWords {
  /** What happened, in words, with units and 1-based channels. */
  text: string;
  /** The typed error's class, code and raw message, for a details line. */
  detail: string;
}

/** How a NACK's field value reads: its name and the value with its unit. */
const FIELD_WORDS: Record<FieldName, { label: string; unit: (v: number) => string }> = {
  none: { label: 'the request', unit: (v) => String(v) },
  channel: { label: 'the channel', unit: (v) => `channel ${v + 1}` },
  mode: { label: 'the stimulation mode', unit: (v) => `mode number ${v}` },
  waveform: { label: 'the waveform', unit: (v) => `waveform number ${v}` },
  frequencyDeciHz: { label: 'the frequency', unit: (v) => `${(v / 10).toFixed(1)} Hz` },
  pulseWidthUs: { label: 'the pulse width', unit: (v) => `${v} µs` },
  amplitudeUa: { label: 'the amplitude', unit: (v) => `${(v / 1000).toFixed(1)} mA` },
  durationMs: { label: 'the duration', unit: (v) => `${(v / 60_000).toFixed(1)} min` },
  rampUpMs: { label: 'the ramp-up time', unit: (v) => `${(v / 1000).toFixed(1)} s` },
  rampDownMs: { label: 'the ramp-down time', unit: (v) => `${(v / 1000).toFixed(1)} s` },
  burstPulses: { label: 'the pulses per burst', unit: (v) => `${v} pulses` },
  burstFrequencyDeciHz: { label: 'the burst rate', unit: (v) => `${(v / 10).toFixed(1)} Hz` },
  sweepHighDeciHz: { label: 'the sweep’s upper frequency', unit: (v) => `${(v / 10).toFixed(1)} Hz` },
  sweepPeriodMs: { label: 'the sweep period', unit: (v) => `${(v / 1000).toFixed(1)} s` },
  version: { label: 'the protocol version', unit: (v) => `version ${v}` },
};

const ohm = (v: number): string => `${v.toLocaleString('en-US')} Ω`;
const valueAndBound = (n: NackMessage): string => {
  const f = FIELD_WORDS[n.field];
  return n.field === 'none' ? '' : ` (${f.label}: ${f.unit(n.value)}, limit ${f.unit(n.bound)})`;
};

/** Why the board refused a request, one sentence per NACK code. */
export const NACK_WORDS: Record<NackCode, (n: NackMessage) => string> = {
  badLength: () => 'the message arrived damaged or with the wrong length; try again, and check the cable if it repeats.',
  unsupportedVersion: (n) => `the board does not speak this app’s protocol version (board up to version ${n.bound}); update the firmware or the app.`,
  helloRequired: () => 'the board restarted and has not been greeted again; reconnect before stimulating.',
  outOfRange: (n) => `a setting is outside what the board allows${valueAndBound(n)}.`,
  rmsCurrent: (n) => `the average (r.m.s.) current would exceed the board’s safe limit (${(n.value / 1000).toFixed(2)} mA, limit ${(n.bound / 1000).toFixed(2)} mA); lower the amplitude, pulse width or frequency.`,
  badChannel: (n) => `the board has no such channel (channel ${n.value + 1}; it has ${n.bound}).`,
  noProgram: () => 'no program has been sent to that channel yet; send the program first.',
  faultLatched: () => 'a fault is latched on the board; clear the fault before starting again.',
  impedanceFail: (n) =>
    `the electrode contact is poor (measured ${ohm(n.value)}, the limit is ${ohm(n.bound)}); check that the pads are on the skin with fresh gel, then measure again.`,
  busy: () => 'the board is busy with the previous request on that channel; wait a moment and try again.',
  badEnum: (n) => `the board does not know one of the settings${valueAndBound(n)}.`,
  badState: () => 'the board is not in a state that allows this (for example, already running or stopping); wait for it to finish, then try again.',
  chargePerPhase: (n) => `the charge per pulse phase would exceed the board’s limit (${(n.value / 1000).toFixed(2)} µC, limit ${(n.bound / 1000).toFixed(2)} µC); lower the amplitude or the pulse width.`,
};

/** What each request is, in words, for "The board refused to …". */
const REQUEST_WORDS: Record<HostMessage['type'], string> = {
  hello: 'connect',
  getInfo: 'report its identity',
  setProgram: 'take the program',
  start: 'start',
  stop: 'stop',
  setAmplitude: 'change the amplitude',
  estop: 'stop everything',
  clearFault: 'clear the fault',
  heartbeat: 'keep the link alive',
  measureImpedance: 'measure the electrode contact',
  getStatus: 'report its status',
};

function channelOfRequest(request: HostMessage): number | null {
  if (request.type === 'setProgram') return request.program.channel;
  if ('channel' in request && typeof request.channel === 'number' && request.channel !== ALL_CHANNELS) return request.channel;
  return null;
}

/** A fault, one sentence per board and client fault code. */
export const FAULT_WORDS: Record<FaultCode | ClientFaultCode, string> = {
  estop: 'Emergency stop: all output was cut to 0 mA.',
  watchdog: 'The board stopped its output because it heard nothing from the app for too long (the link stalled or was lost).',
  electrodeOff: 'An electrode came off or lost contact, so the board stopped that output.',
  overcurrent: 'The board measured more current than it was set to deliver and stopped its output.',
  complianceLimit: 'The board could not drive the set current through the electrodes (the skin contact resists too much) and stopped its output.',
  reset: 'The board restarted (power dip or firmware restart); its programs are lost and nothing resumes by itself.',
  internal: 'The board reported an internal error and stopped its output.',
  durationExceeded: 'The board stopped the output because the session ran past its longest allowed duration.',
  'ack-mismatch': 'The board confirmed different settings from the ones sent, so the app stopped all output.',
  'board-silent': 'The board stopped answering, so the app treats its output as stopped.',
  'connection-lost': 'The link to the board was lost; the board’s watchdog stops its output.',
  'board-reset': 'The board restarted (power dip or firmware restart); its programs are lost and nothing resumes by itself.',
};

export function describeFault(fault: DeviceFault): ErrorWords {
  const where = fault.channel === null ? '' : `Channel ${fault.channel + 1}: `;
  const sentence = FAULT_WORDS[fault.code] ?? `The ${fault.source === 'board' ? 'board' : 'app'} stopped the output because of a fault.`;
  const boardDetail = fault.board ? ` (detail ${fault.board.detail})` : '';
  return { text: `${where}${sentence}`, detail: `${fault.source} fault ${fault.code}${boardDetail}: ${fault.message}` };
}

/** Client-side device errors, one sentence per code. Some read the error's own fields (already worded). */
export const DEVICE_WORDS: Record<Exclude<DeviceErrorCode, 'NACK'>, string> = {
  NOT_CONNECTED: 'No board is connected; connect one first.',
  INVALID_STATE: 'That is not possible right now (for example, a fault is latched or no program was sent yet).',
  INVALID_ARGUMENT: 'A setting is outside what this board can take; nothing was sent.',
  REQUEST_TIMEOUT: 'The board did not answer in time; check the cable and the link-health figures.',
  INCOMPATIBLE_FIRMWARE: 'The board’s firmware speaks a protocol this app does not; update the firmware or the app.',
  ACK_MISMATCH: 'The board confirmed different settings from the ones sent, so the app stopped all output.',
  CONNECTION_LOST: 'The link to the board was lost; the board’s watchdog stops its output.',
  CANCELLED: 'The request was dropped because STOP was pressed.',
  COMPLIANCE_EXCEEDED: 'The electrodes resist too much for this amplitude; nothing was sent.',
};

/** Session refusals and errors, one sentence per code; the engine's own reason follows where it helps. */
export const SESSION_WORDS: Record<SessionErrorCode, string> = {
  DEVICE_NOT_READY: 'The session cannot start: the board is not connected and ready.',
  PLAN_INVALID: 'The session plan was refused; nothing was sent.',
  NO_ELECTRODE: 'Choose the electrode pads for this channel before starting.',
  DAILY_CAP: 'This participant has reached the daily stimulation limit.',
  BAD_STATE: 'That is not possible at this point of the session.',
  ALREADY_STARTED: 'This session has already started.',
  STOPPED: 'The session was stopped before it began; nothing was sent.',
  RECORD_FAILED: 'The session record could not be written, so the output was stopped.',
  PARTICIPANT_INVALID: 'The participant code was refused.',
  LEVEL_REFUSED: 'That level is above the ceiling set when the session started.',
};

export const STORAGE_WORDS: Record<StorageError['code'], string> = {
  NO_INDEXEDDB: 'This browser offers no storage for session records (private window or storage blocked).',
  RECORD_NOT_FOUND: 'That session record was not found.',
  RECORD_CLOSED: 'That session record is already closed.',
  RECORD_OPEN: 'That session record is still open (its session is running).',
  BAD_RECORD_FILE: 'The file is not a valid session record.',
  WRITE_FAILED: 'The session record could not be written to storage.',
};

export const SYNC_WORDS: Record<SyncError['code'], string> = {
  BAD_SETTINGS: 'The lab-sync settings are not valid; check the server address and key.',
  RECORD_OPEN: 'The record is still open; it is sent once its session ends.',
  RECORD_NOT_FOUND: 'That session record was not found.',
  TIMEOUT: 'The lab server did not answer in time; the record is sent again later.',
};

export const TRANSPORT_WORDS: Record<TransportErrorCode, string> = {
  NOT_OPEN: 'The link to the board is closed; connect again.',
  ALREADY_OPEN: 'The link to the board is already open.',
  DEVICE_LOST: 'The board was unplugged or its link failed; the board’s watchdog stops its output.',
  OPEN_FAILED: 'The port could not be opened (another program may be using it); unplug and replug the board, then try again.',
  UNSUPPORTED: 'This browser or page cannot reach serial or USB devices; use Chrome or Edge over https or localhost.',
  NO_PORT_SELECTED: 'No board was chosen in the browser’s device list.',
};

/** The engine prefixes its reasons with the call ("start(): "); users do not need that. */
const withoutCall = (message: string): string => message.replace(/^[A-Za-z]+\([^)]*\):\s*/, '');
const sentenceCase = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

export function describeError(e: unknown): ErrorWords {
  if (!(e instanceof Error)) return { text: String(e), detail: String(e) };
  const code = (e as { code?: unknown }).code;
  const detail = `${e.name}${typeof code === 'string' ? ` ${code}` : ''}: ${e.message}`;
  return { text: wordsOf(e), detail };
}

function wordsOf(e: Error): string {
  if (e instanceof NackError) {
    const channel = channelOfRequest(e.request);
    const where = channel === null ? '' : ` on channel ${channel + 1}`;
    return `The board refused to ${REQUEST_WORDS[e.request.type]}${where}: ${NACK_WORDS[e.nack.code](e.nack)}`;
  }
  if (e instanceof RequestTimeoutError) {
    return `The board did not answer (${REQUEST_WORDS[e.request.type]}: no reply within ${e.timeoutMs} ms, ${e.attempts} ${e.attempts === 1 ? 'try' : 'tries'}); check the cable and the link-health figures.`;
  }
  if (e instanceof DeviceError) {
    // The compliance error already speaks in words, units and 1-based channels.
    if (e.code === 'COMPLIANCE_EXCEEDED') return e.message;
    return DEVICE_WORDS[e.code as Exclude<DeviceErrorCode, 'NACK'>];
  }
  if (e instanceof ProgramRejectedError) return `Not sent: ${e.violations.map((v) => v.message).join('; ')}`;
  if (e instanceof ProtocolError) return 'A setting cannot be sent to the board in this form; nothing was sent.';
  if (e instanceof SessionError) {
    const reason = withoutCall(e.message);
    // The participant check already says, in words, which code was refused and why.
    if (e.code === 'PARTICIPANT_INVALID') return sentenceCase(reason);
    // These codes carry a reason the user needs to act on (which limit, which character); the rest are whole.
    const keepsReason = e.code === 'PLAN_INVALID' || e.code === 'DAILY_CAP' || e.code === 'NO_ELECTRODE' || e.code === 'LEVEL_REFUSED';
    return keepsReason ? `${SESSION_WORDS[e.code]} ${sentenceCase(reason)}` : SESSION_WORDS[e.code];
  }
  if (e instanceof StorageError) return STORAGE_WORDS[e.code];
  if (e instanceof SyncError) return SYNC_WORDS[e.code];
  if (e instanceof TransportError) return TRANSPORT_WORDS[e.code];
  return sentenceCase(withoutCall(e.message));
}
