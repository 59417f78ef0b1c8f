/**
 * Sorting Web Serial read errors into recoverable line errors and fatal ones.
 *
 * Web Serial (https://wicg.github.io/serial/#readable-attribute) errors the current `port.readable`
 * with a DOMException named after the cause. BufferOverrunError, BreakError, FramingError and
 * ParityError are not fatal: `port.readable` then hands out a fresh stream (the WPT test
 * serial/serialPort_readable_parityError checks `port.readable !== readable` afterwards). A
 * NetworkError (device lost) or UnknownError (operating-system error) is fatal: `port.readable` stays null.
 */
import type { LineErrorKind } from './Transport.ts';

const LINE_ERRORS: Readonly<Record<string, LineErrorKind>> = {
  BreakError: 'break',
  FramingError: 'framing',
  ParityError: 'parity',
  BufferOverrunError: 'buffer-overrun',
};

/** The line-error kind for a recoverable read error, or null when the error is fatal. */
export function lineErrorKind(error: unknown): LineErrorKind | null {
  if (typeof error !== 'object' || error === null || !('name' in error)) return null;
  const name = (error as { name: unknown }).name;
  return typeof name === 'string' ? (LINE_ERRORS[name] ?? null) : null;
}
