/** The app's content security policy: self only, nothing inline, and lab servers given as strict origins. */
import { describe, expect, test } from 'vitest';
import { appContentSecurityPolicy, labServerSource } from '../../src/appserver/appPolicy.ts';

describe('app content security policy', () => {
  test('without lab servers the page may connect to its own origin only', () => {
    const csp = appContentSecurityPolicy();
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe|data:|blob:|\*/);
  });

  test('lab servers are normalised origins in connect-src and nowhere else', () => {
    const csp = appContentSecurityPolicy({ labServers: ['HTTPS://Lab.Example.org/', 'http://127.0.0.1:8787'] });
    expect(csp).toContain("connect-src 'self' https://lab.example.org http://127.0.0.1:8787;");
    expect(csp.match(/lab\.example\.org/g)).toHaveLength(1);
  });

  test.each([
    ['a path', 'https://lab.example.org/api'],
    ['a wildcard host', 'https://*.example.org'],
    ['another scheme', 'ftp://lab.example.org'],
    ['a policy injection', "https://lab.example.org; script-src 'unsafe-inline'"],
    ['a port out of range', 'http://127.0.0.1:99999'],
    ['no scheme', 'lab.example.org'],
  ])('refuses %s', (_what, value) => {
    expect(() => labServerSource(value)).toThrow(RangeError);
  });
});
