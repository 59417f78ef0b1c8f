/**
 * The host port as a process: `stimbench-host-board --stdio` answers like PROTOCOL.md says, and
 * `--pty` prints a pseudo-terminal path. Only ordering and content are asserted, never timing (the
 * watchdog's 500 ms runs on the real clock here, so the test waits generously for its FAULT).
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FrameDecoder, encodeFrame, type Message } from '../../firmware-protocol/src/index.ts';

const C_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'firmware-protocol', 'c');
const BOARD = join(C_DIR, 'build', 'stimbench-host-board');

let child: ChildProcessWithoutNullStreams | null = null;
afterEach(() => {
  child?.kill('SIGTERM');
  child = null;
});

function startStdio(args: string[] = []) {
  const proc = spawn(BOARD, ['--stdio', '--quiet', ...args]);
  child = proc;
  const decoder = new FrameDecoder();
  const messages: Message[] = [];
  proc.stdout.on('data', (chunk: Buffer) => messages.push(...decoder.push(new Uint8Array(chunk))));
  const waitFor = async (predicate: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such message; got ${JSON.stringify(messages.map((m) => m.type))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { proc, messages, send: (m: Message) => proc.stdin.write(encodeFrame(m)), waitFor };
}

describe('C host board', () => {
  beforeAll(async () => {
    await promisify(execFile)('make', ['-C', C_DIR, '--no-print-directory', 'host']);
    expect(existsSync(BOARD)).toBe(true);
  }, 120_000);

  it('answers HELLO with INFO carrying the configured caps', async () => {
    const board = startStdio(['--channels', '3', '--max-amplitude-ua', '40000', '--serial', 'BENCH-7']);
    board.send({ type: 'hello', seq: 5, minVersion: 1, maxVersion: 1 });
    const info = await board.waitFor((m) => m.type === 'info');
    expect(info).toMatchObject({ replyTo: 5, protocolVersion: 1, watchdogMs: 500, serialNumber: 'BENCH-7', caps: { channelCount: 3, maxAmplitudeUa: 40000 } });
  });

  it('ESTOP before HELLO: ACK, then FAULT estop, then STATUS; the watchdog trips after silence', async () => {
    const board = startStdio();
    board.send({ type: 'estop', seq: 1 });
    await board.waitFor((m) => m.type === 'status');
    expect(board.messages.map((m) => m.type)).toEqual(['ack', 'fault', 'status']);
    board.send({ type: 'clearFault', seq: 2 });
    board.send({ type: 'hello', seq: 3, minVersion: 1, maxVersion: 1 });
    const nack = await board.waitFor((m) => m.type === 'nack');
    expect(nack).toMatchObject({ replyTo: 2, code: 'helloRequired' });
    const fault = await board.waitFor((m) => m.type === 'fault' && m.code === 'watchdog');
    expect(fault).toMatchObject({ channel: 255 });
    expect((fault as { detail: number }).detail).toBeGreaterThanOrEqual(500);
  });

  it('frozen firmware: the hardware watchdog cuts the output and the board comes back as after a reset', async () => {
    const board = startStdio(['--freeze-at', '300']);
    board.send({ type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 });
    await board.waitFor((m) => m.type === 'info');
    // Frozen from 300 ms: no watchdog FAULT from the firmware (it is hung); ~500 ms later the reset.
    const reset = await board.waitFor((m) => m.type === 'fault' && m.code === 'reset');
    expect(reset).toMatchObject({ seq: 1, channel: 255 });
    const status = await board.waitFor((m) => m.type === 'status');
    expect(status).toMatchObject({ replyTo: 0, fault: 'reset', helloDone: false });
    expect(board.messages.some((m) => m.type === 'fault' && m.code === 'watchdog')).toBe(false);
  });

  it('--pty prints the path of a pseudo-terminal', async () => {
    const proc = spawn(BOARD, ['--pty', '--quiet']);
    child = proc;
    const line = await new Promise<string>((resolve) => proc.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    expect(line).toMatch(/^PTY \/dev\/pts\/\d+\n/);
  });
});
