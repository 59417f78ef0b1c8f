import { describe, expect, test } from 'vitest';
import { backoffMs, retryAfterMs } from '../../src/lib/sync/backoffMs.ts';
import { classifyResponse } from '../../src/lib/sync/classifyResponse.ts';
import { checkSyncSettings } from '../../src/lib/sync/checkSyncSettings.ts';

describe('backoff', () => {
  test('doubles per attempt, capped, with equal jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 1000, 60_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 1000, 60_000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(50, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffMs(50, 1000, 60_000, () => 0)).toBe(30_000);
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:01:00 GMT', 30_000)).toBe(30_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
    expect(retryAfterMs(null, 0)).toBeNull();
  });
});

describe('classifyResponse', () => {
  test.each([
    [200, '{"id":"r"}', 'delivered'],
    [201, '{"id":"r","extra":1}', 'delivered'],
    [200, '{"id":"r","duplicate":true}', 'delivered'],
    [409, '', 'conflict'],
    [200, 'OK', 'retry'],
    [204, '', 'retry'],
    [200, '{"id":"x"}', 'retry'],
    [200, '[1,2]', 'retry'],
    [408, '', 'retry'],
    [429, '', 'retry'],
    [500, '', 'retry'],
    [503, '', 'retry'],
    [302, '', 'retry'],
    [400, 'bad', 'failed'],
    [401, '', 'failed'],
    [403, '', 'failed'],
    [404, '', 'failed'],
    [413, '', 'failed'],
    [422, '', 'failed'],
  ] as const)('HTTP %i %j → %s', (status, body, kind) => {
    expect(classifyResponse(status, body, 'r').kind).toBe(kind);
  });

  test('a malformed 2xx carries a warning; a plain 5xx does not', () => {
    const malformed = classifyResponse(200, 'OK', 'r');
    expect(malformed.kind === 'retry' && malformed.warning).toMatch(/not confirmed/);
    const server = classifyResponse(500, '', 'r');
    expect(server.kind === 'retry' && server.warning).toBeNull();
  });
});

describe('sync settings', () => {
  test('an http(s) URL and a non-empty token', () => {
    expect(checkSyncSettings({ serverUrl: 'https://lab.example/api', token: ' t ' })).toEqual({ serverUrl: 'https://lab.example/api', token: 't' });
    expect(() => checkSyncSettings({ serverUrl: 'lab.example', token: 't' })).toThrow(/absolute http/);
    expect(() => checkSyncSettings({ serverUrl: 'ftp://lab.example', token: 't' })).toThrow(/http or https/);
    expect(() => checkSyncSettings({ serverUrl: 'https://lab.example', token: '  ' })).toThrow(/non-empty/);
  });
});
