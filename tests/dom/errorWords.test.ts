/**
 * Errors and faults reach the user in words: every NACK, board fault, client fault, device, session,
 * storage, sync and transport code maps to a sentence with units and 1-based channels, and the raw code
 * stays on a muted "code: …" line.
 */
import { render, screen } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import { FAULT_CODES, FIELD_IDS, NACK_CODES, type FieldName, type HostMessage, type NackCode, type NackMessage } from '../../firmware-protocol/src/index.ts';
import { ProgramRejectedError } from '../../firmware-protocol/src/errors.ts';
import {
  AckMismatchError,
  CancelledError,
  ConnectionLostError,
  IncompatibleFirmwareError,
  InvalidArgumentError,
  InvalidStateError,
  NackError,
  NotConnectedError,
  RequestTimeoutError,
} from '../../src/lib/device/errors.ts';
import type { ClientFaultCode, DeviceFault } from '../../src/lib/device/types.ts';
import { SessionError, SessionRefusedError, type SessionErrorCode } from '../../src/lib/session/errors.ts';
import { StorageError } from '../../src/lib/session/recordErrors.ts';
import { SyncError } from '../../src/lib/sync/errors.ts';
import { TransportError, type TransportErrorCode } from '../../src/lib/transport/Transport.ts';
import ErrorNote from '../../src/ui/components/ErrorNote.svelte';
import StopBar from '../../src/ui/components/StopBar.svelte';
import { describeError, describeFault } from '../../src/ui/errorWords.ts';
import { errorText } from '../../src/ui/format.ts';
import type { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';

/** What a developer would write and a user should never have to read. */
function expectPlainWords(text: string, rawCode: string): void {
  expect(text, text).not.toMatch(/\b[a-z]{2,}[A-Z]\w*/); // camelCase identifiers (impedanceFail, setProgram), not mA
  expect(text, text).not.toMatch(/\b[A-Z]+_[A-Z_]+\b/); // UPPER_SNAKE codes
  expect(text, text).not.toMatch(/\w+Error\b|\bseq\b|\(\)|"/); // class names, sequence numbers, calls, quoted codes
  expect(text, text).not.toMatch(/channel 0\b|Channel 0\b/); // channels are 1-based on screen
  // A code that is itself a plain word (busy, reset, internal) may appear; identifiers may not.
  if (/[A-Z_-]/.test(rawCode)) expect(text.toLowerCase(), text).not.toContain(rawCode.toLowerCase());
  expect(text, text).toMatch(/^[A-Z].*[.)]$/s);
}

const START: HostMessage = { type: 'start', seq: 1835, channel: 0 };
const nack = (code: NackCode, field: FieldName = 'none', value = 0, bound = 0): NackMessage => ({ type: 'nack', seq: 9, replyTo: 1835, rejectedType: 'start', code, field, value, bound });

describe('errors in words', () => {
  test('every NACK code, with every field, is a sentence without raw identifiers; the code stays in detail', () => {
    for (const code of Object.keys(NACK_CODES) as NackCode[]) {
      for (const field of Object.keys(FIELD_IDS) as FieldName[]) {
        const { text, detail } = describeError(new NackError(START, nack(code, field, 12, 34)));
        expectPlainWords(text, code);
        expect(detail).toContain(code);
        expect(detail).toContain('NackError');
      }
    }
  });

  test('the impedance refusal names the cause with Ω and the 1-based channel', () => {
    const e = new NackError(START, nack('impedanceFail', 'none', 1_984_341, 5000));
    const { text, detail } = describeError(e);
    expect(text).toBe(
      'The board refused to start on channel 1: the electrode contact is poor (measured 1,984,341 Ω, the limit is 5,000 Ω); check that the pads are on the skin with fresh gel, then measure again.',
    );
    expect(detail).toBe('NackError NACK: start (seq 1835) refused by the board: impedanceFail on none (value 1984341, bound 5000)');
  });

  test('out-of-range fields give their units (Hz, µs, mA)', () => {
    expect(describeError(new NackError(START, nack('outOfRange', 'frequencyDeciHz', 5000, 2500))).text).toMatch(/500\.0 Hz, limit 250\.0 Hz/);
    expect(describeError(new NackError(START, nack('outOfRange', 'pulseWidthUs', 900, 500))).text).toMatch(/900 µs, limit 500 µs/);
    expect(describeError(new NackError(START, nack('outOfRange', 'amplitudeUa', 60_000, 50_000))).text).toMatch(/60\.0 mA, limit 50\.0 mA/);
  });

  test('every client error class, session, storage, sync and transport code is in words', () => {
    const errors: Error[] = [
      new NotConnectedError('start()', 'disconnected'),
      new InvalidStateError('start()', 'a verified program', 'none'),
      new InvalidArgumentError('channel', 7, 'a channel below 2'),
      new RequestTimeoutError(START, 3, 250),
      new IncompatibleFirmwareError({ min: 1, max: 1 }, { min: 2, max: 3 }, 'HELLO'),
      new AckMismatchError({ channel: 0, amplitudeUa: 1000 }, { kind: 'amplitude', channel: 0, amplitudeUa: 2000 }, ['amplitudeUa']),
      new ConnectionLostError('stream ended'),
      new CancelledError(START, 'ESTOP superseded it'),
      ...(['DEVICE_NOT_READY', 'BAD_STATE', 'ALREADY_STARTED', 'STOPPED', 'RECORD_FAILED'] satisfies SessionErrorCode[]).map(
        (code) => new SessionRefusedError(code, `start(): expected state ready, got ${code}`),
      ),
      ...(['NO_INDEXEDDB', 'RECORD_NOT_FOUND', 'RECORD_CLOSED', 'RECORD_OPEN', 'BAD_RECORD_FILE', 'WRITE_FAILED'] as const).map((c) => new StorageError(c, `raw ${c}`)),
      ...(['BAD_SETTINGS', 'RECORD_OPEN', 'RECORD_NOT_FOUND', 'TIMEOUT'] as const).map((c) => new SyncError(c, `raw ${c}`)),
      ...(['NOT_OPEN', 'ALREADY_OPEN', 'DEVICE_LOST', 'OPEN_FAILED', 'UNSUPPORTED', 'NO_PORT_SELECTED'] satisfies TransportErrorCode[]).map((c) => new TransportError(c, `raw ${c}`)),
    ];
    for (const e of errors) {
      const { text, detail } = describeError(e);
      expectPlainWords(text, e.name);
      expect(detail).toContain(e.name);
      expect(detail).toContain(e.message);
    }
  });

  test('session refusals that carry a reason keep it, without the call name', () => {
    const e = new SessionRefusedError('PLAN_INVALID', 'start(): plan refused: frequency 500.0 Hz is above the 250.0 Hz ceiling');
    expect(describeError(e).text).toBe('The session plan was refused; nothing was sent. Plan refused: frequency 500.0 Hz is above the 250.0 Hz ceiling');
    expect(describeError(new SessionError('LEVEL_REFUSED', 'setLevel(): too high')).text).not.toMatch(/setLevel/);
  });

  test('a program refused before sending lists its reasons', () => {
    const e = new ProgramRejectedError([{ field: 'frequencyDeciHz', value: 5000, bound: 2500, kind: 'max', source: 'board-caps', message: 'frequency 500.0 Hz is above 250.0 Hz' }]);
    expect(describeError(e).text).toBe('Not sent: frequency 500.0 Hz is above 250.0 Hz');
  });

  test('errorText puts the words first and the code on its own line; ErrorNote shows it muted', () => {
    const message = errorText(new NackError(START, nack('faultLatched')));
    const [first, second] = message.split('\n');
    expect(first).toBe('The board refused to start on channel 1: a fault is latched on the board; clear the fault before starting again.');
    expect(second).toMatch(/^code: NackError NACK: start \(seq 1835\)/);
    render(ErrorNote, { props: { message } });
    expect(screen.getByTestId('error-code').textContent).toBe(second);
  });
});

describe('faults in words', () => {
  const faults = [...Object.keys(FAULT_CODES), 'ack-mismatch', 'board-silent', 'connection-lost', 'board-reset'] as (keyof typeof FAULT_CODES | ClientFaultCode)[];

  test('every board and client fault code is a sentence; channels are 1-based', () => {
    for (const code of faults) {
      const fault: DeviceFault = { source: 'client', code, channel: 0, message: `raw ${code}` };
      const { text, detail } = describeFault(fault);
      expectPlainWords(text, code);
      expect(text.startsWith('Channel 1: ')).toBe(true);
      expect(detail).toContain(code);
    }
  });

  test('the STOP bar shows a latched fault in words, styled as an error, with its code beside it', () => {
    const connection = {
      state: 'faulted',
      latestFault: { source: 'board', code: 'electrodeOff', channel: 0, message: 'board fault "electrodeOff" on channel 1 (detail 0)', board: { type: 'fault', seq: 1, code: 'electrodeOff', channel: 0, detail: 0 } },
      notice: null,
      estop: () => Promise.resolve(),
      clearFault: () => Promise.resolve(),
    } as unknown as BoardConnectionState;
    render(StopBar, { props: { connection } });
    const reason = screen.getByTestId('fault-reason');
    expect(reason.textContent).toBe('Channel 1: An electrode came off or lost contact, so the board stopped that output.');
    expect(reason.classList.contains('error')).toBe(true);
    expect(screen.getByTestId('output-state').textContent).not.toMatch(/"electrodeOff"|detail 0/);
    expect(screen.getByTestId('fault-code').textContent).toBe('code: electrodeOff');
  });
});
