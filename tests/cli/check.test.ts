/**
 * `stimbench check`, the real binary: the conformance suite passes on the simulated board and on the C
 * host board, fails (exit 8) on a deliberately broken simulated board, writes JUnit XML that parses, and
 * never opens a real board before a dummy load is confirmed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildHostBoard } from './hostBoard.ts';
import { jsonLines, runStimbenchCli, tempDir } from './support.ts';

function parseXml(text: string): Document {
  const doc = new new Window().DOMParser().parseFromString(text, 'application/xml') as unknown as Document;
  expect(doc.getElementsByTagName('parsererror').length, text).toBe(0);
  return doc;
}

describe('stimbench check', { timeout: 120_000 }, () => {
  test('passes on the simulated board: 13 checks, exit 0, JUnit XML with 13 testcases and no failure', async () => {
    const junit = join(tempDir(), 'conformance.xml');
    const { code, stdout, stderr } = await runStimbenchCli(['check', '--simulated', '--junit', junit]);
    expect(code, stderr).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines.filter((l) => l.event === 'check')).toHaveLength(13);
    const watchdog = lines.find((l) => l.id === 'watchdog.trip')!;
    expect(watchdog.measured).toBe('tripped 500 ms after the last valid frame (board says 500 ms)');
    expect(lines.at(-1)).toMatchObject({ event: 'summary', pass: true, failed: [] });
    const doc = parseXml(readFileSync(junit, 'utf8'));
    expect(doc.getElementsByTagName('testcase')).toHaveLength(13);
    expect(doc.getElementsByTagName('failure')).toHaveLength(0);
    expect(doc.getElementsByTagName('testsuites')[0]!.getAttribute('failures')).toBe('0');
  });

  test('a simulated board whose watchdog never trips fails the two watchdog checks: exit 8, failures in the JUnit XML', async () => {
    const junit = join(tempDir(), 'conformance.xml');
    const { code, stdout } = await runStimbenchCli(['check', '--simulated', '--simulated-fault', 'watchdog-disabled', '--junit', junit]);
    expect(code).toBe(8);
    const summary = jsonLines(stdout).at(-1)!;
    expect(summary).toMatchObject({ event: 'summary', pass: false, failed: ['watchdog.trip', 'watchdog.corrupt-frames'] });
    expect(jsonLines(stdout).find((l) => l.id === 'watchdog.trip')!.measured).toBe('did not trip');
    const failures = [...parseXml(readFileSync(junit, 'utf8')).getElementsByTagName('failure')];
    expect(failures.map((f) => f.parentElement!.getAttribute('name'))).toEqual(['watchdog.trip', 'watchdog.corrupt-frames']);
    expect(failures[0]!.getAttribute('message')).toBe('did not trip');
  });

  test('a simulated board that ACKs every program fails the refusal checks (exit 8)', async () => {
    const { code, stdout } = await runStimbenchCli(['check', '--simulated', '--simulated-fault', 'accepts-every-program', '--json']);
    expect(code).toBe(8);
    expect(jsonLines(stdout).at(-1)!.failed).toEqual(['programs.refused', 'programs.patched', 'nack.keeps-state']);
  });

  test('a real port is not opened without a confirmed dummy load (no terminal to ask on): exit 3', async () => {
    const { code, stderr } = await runStimbenchCli(['check', '--port', '/dev/stimbench-no-such-port']);
    expect(code).toBe(3);
    expect(stderr).toContain('not confirmed that a dummy load, not a person, is connected: nothing was opened');
    // With the confirmation it goes on, and a port that is not there is a lost link.
    const confirmed = await runStimbenchCli(['check', '--port', '/dev/stimbench-no-such-port', '--dummy-load-connected']);
    expect(confirmed.code).toBe(7);
  });

  describe('on the C host board (--board-cmd)', () => {
    let executable = '';
    beforeAll(() => {
      executable = buildHostBoard();
    }, 120_000);

    test('passes every check, with the measured watchdog trip in the table', async () => {
      const { code, stdout, stderr } = await runStimbenchCli(['check', '--board-cmd', `${executable} --pty`, '--dummy-load-connected', '--json']);
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      const lines = jsonLines(stdout);
      expect(lines.filter((l) => l.event === 'check' && l.pass)).toHaveLength(13);
      expect(lines.find((l) => l.id === 'watchdog.trip')!.measured).toMatch(/^tripped [\d.]+ ms after the last valid frame/);
      expect(lines.at(-1)).toMatchObject({ event: 'summary', pass: true, board: { serialNumber: 'SB-HOST-0001' } });
    }, 120_000);

    test('also over stdio (--board-stdio)', async () => {
      const { code, stdout } = await runStimbenchCli(['check', '--board-cmd', `${executable} --stdio`, '--board-stdio', '--dummy-load-connected', '--only', 'estop.latch']);
      expect(code, stdout).toBe(0);
      expect(jsonLines(stdout).filter((l) => l.event === 'check').map((l) => l.id)).toEqual(['hello', 'estop.latch']);
    }, 60_000);
  });
});
