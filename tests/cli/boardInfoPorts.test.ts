/**
 * `stimbench board --tcp` (the simulated board over TCP), `stimbench info` and `stimbench ports`, the real
 * binary in child processes.
 */
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { beforeAll, describe, expect, test } from 'vitest';
import { FrameDecoder, encodeFrame, type Message } from '../../firmware-protocol/src/index.ts';
import { probePort } from '../../src/cli/commands/ports.ts';
import { buildHostBoard } from './hostBoard.ts';
import { jsonLines, runStimbenchCli, stimbench, type Child } from './support.ts';

async function startTcpBoard(args: string[] = []): Promise<{ cli: Child; port: number }> {
  const cli = stimbench(['board', '--tcp', '0', ...args]);
  const line = await cli.waitForLine(/^TCP 127\.0\.0\.1:\d+$/);
  return { cli, port: Number(line.split(':')[1]) };
}

/** Send one frame over a plain TCP socket and collect what comes back for `ms`. */
function exchangeOverTcp(port: number, frame: Uint8Array, ms = 1500): Promise<Message[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const decoder = new FrameDecoder();
    const got: Message[] = [];
    let connected = false;
    socket.on('data', (d: Buffer) => got.push(...decoder.push(new Uint8Array(d))));
    // Once connected, the server closing or resetting the connection just ends what we got.
    socket.on('error', (error) => (connected ? resolve(got) : reject(error)));
    socket.once('connect', () => {
      connected = true;
      socket.write(frame);
      setTimeout(() => {
        socket.destroy();
        resolve(got);
      }, ms);
    });
  });
}

describe('stimbench board --tcp', { timeout: 120_000 }, () => {
  test('a plain Node TCP socket gets INFO for HELLO; stimbench info and the conformance suite work over socket://', async () => {
    const { cli, port } = await startTcpBoard(['--serial', 'TCP-TEST']);
    try {
      const replies = await exchangeOverTcp(port, encodeFrame({ type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 }));
      expect(replies.find((m) => m.type === 'info')).toMatchObject({ type: 'info', replyTo: 1, serialNumber: 'TCP-TEST', protocolVersion: 1 });

      const info = await runStimbenchCli(['info', '--port', `socket://127.0.0.1:${port}`, '--json']);
      expect(info.code, info.stderr).toBe(0);
      expect(jsonLines(info.stdout)[0]).toMatchObject({ event: 'info', serialNumber: 'TCP-TEST', watchdogMs: 500, caps: { channelCount: 2 } });

      const check = await runStimbenchCli(['check', '--port', `socket://127.0.0.1:${port}`, '--dummy-load-connected', '--json']);
      expect(check.code, check.stdout).toBe(0);
      expect(jsonLines(check.stdout).at(-1)).toMatchObject({ event: 'summary', pass: true, checks: 13 });
    } finally {
      cli.process.kill('SIGTERM');
      expect((await cli.exited).code).toBe(0);
    }
  }, 90_000);

  test('with --simulated-fault watchdog-disabled the suite over TCP fails the watchdog check (exit 8)', async () => {
    const { cli, port } = await startTcpBoard(['--simulated-fault', 'watchdog-disabled']);
    try {
      const check = await runStimbenchCli(['check', '--port', `socket://127.0.0.1:${port}`, '--dummy-load-connected', '--only', 'watchdog.trip']);
      expect(check.code).toBe(8);
      expect(jsonLines(check.stdout).at(-1)).toMatchObject({ pass: false, failed: ['watchdog.trip'] });
    } finally {
      cli.process.kill('SIGTERM');
      await cli.exited;
    }
  }, 60_000);

  test('one client at a time: a second connection is closed at once', { timeout: 60_000 }, async () => {
    const { cli, port } = await startTcpBoard();
    try {
      const first = createConnection({ host: '127.0.0.1', port });
      await new Promise((r) => first.once('connect', r));
      await new Promise((r) => setTimeout(r, 200));
      const second = await exchangeOverTcp(port, encodeFrame({ type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 }), 800);
      expect(second).toEqual([]);
      first.destroy();
      for (let i = 0; i < 100 && !cli.stderr().includes('refused a second client'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(cli.stderr()).toContain('refused a second client');
    } finally {
      cli.process.kill('SIGTERM');
      await cli.exited;
    }
  });

  test('a bad socket URL is a usage error (exit 2); nothing listening is a lost link (exit 7)', async () => {
    expect((await runStimbenchCli(['info', '--port', 'socket://127.0.0.1:99999'])).code).toBe(2);
    const closed = await runStimbenchCli(['info', '--port', 'socket://127.0.0.1:1']);
    expect(closed.code).toBe(7);
    expect(closed.stderr).toContain('could not connect');
  });
});

describe('stimbench info and ports', { timeout: 120_000 }, () => {
  let executable = '';
  beforeAll(() => {
    executable = buildHostBoard();
  }, 120_000);

  test('info --simulated: identity, caps, watchdog, limits per mode, status', async () => {
    const { code, stdout } = await runStimbenchCli(['info', '--simulated', '--json']);
    expect(code).toBe(0);
    const info = jsonLines(stdout)[0]!;
    expect(info).toMatchObject({ serialNumber: 'SIM-0001', firmware: '1.0.0', watchdogMs: 500, telemetryRateHz: 1000, status: { fault: null } });
    const modes = info.modes as { mode: string; amplitudeUa: { max: { value: number } } }[];
    expect(modes.map((m) => m.mode)).toEqual(['conventional', 'acupuncture-like', 'burst', 'brief-intense', 'modulated', 'low-frequency']);
    expect(modes[0]!.amplitudeUa.max.value).toBe(60_000);
  });

  test('info --board-cmd on the C host board: its serial number and the watchdog period it was started with', async () => {
    const { code, stdout } = await runStimbenchCli(['info', '--board-cmd', `${executable} --pty --watchdog-ms 300`]);
    expect(code).toBe(0);
    // Not a terminal: JSON lines.
    expect(jsonLines(stdout)[0]).toMatchObject({ serialNumber: 'SB-HOST-0001', watchdogMs: 300 });
  });

  test('ports lists (JSON lines, exit 0); the HELLO probe tells a StimBench board from a port that does not answer', async () => {
    const { code, stdout } = await runStimbenchCli(['ports', '--json']);
    expect(code).toBe(0);
    for (const line of jsonLines(stdout)) expect(line).toMatchObject({ event: 'port', path: expect.any(String) });

    // Pseudo-terminals are not enumerated by the operating system: probe one directly.
    const board = spawn(executable, ['--pty'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const pty = await new Promise<string>((resolve) => {
      let text = '';
      board.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        const m = /^PTY (\S+)$/m.exec(text);
        if (m) resolve(m[1]!);
      });
    });
    try {
      expect(await probePort(pty, 1500)).toEqual({ board: true, serialNumber: 'SB-HOST-0001', firmware: expect.stringMatching(/^\d+\.\d+\.\d+$/), protocolVersion: 1 });
    } finally {
      board.kill('SIGTERM');
    }
    expect(await probePort('/dev/stimbench-no-such-port', 500)).toMatchObject({ board: false, note: expect.stringContaining('could not open') });
  });
});
