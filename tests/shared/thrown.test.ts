/** The one place caught values of unknown type become text or an Error (transports, device client, sync, session). */
import { describe, expect, test } from 'vitest';
import { asError, describeError } from '../../src/lib/thrown.ts';

describe('describeError', () => {
  test('an Error reads "Name: message"', () => {
    expect(describeError(new TypeError('port closed'))).toBe('TypeError: port closed');
  });
  test('a DOMException-like object without the Error prototype reads the same way', () => {
    expect(describeError({ name: 'NetworkError', message: 'device lost' })).toBe('NetworkError: device lost');
    expect(describeError({ message: 'no name' })).toBe('Error: no name');
  });
  test('a thrown string or number is kept as it is', () => {
    expect(describeError('the polyfill threw a string')).toBe('the polyfill threw a string');
    expect(describeError(42)).toBe('42');
  });
});

describe('asError', () => {
  test('keeps an Error as it is and wraps anything else', () => {
    const e = new RangeError('x');
    expect(asError(e)).toBe(e);
    expect(asError('boom')).toBeInstanceOf(Error);
    expect(asError('boom').message).toBe('boom');
  });
});
