/**
 * `--board-cmd "COMMAND"`: start a board program (the C host board, a QEMU firmware, a socat bridge) and
 * reach it. By default the program prints the line `PTY <path>` (or `TCP <addr>:<port>`) and serves the
 * board there; with `--board-stdio` it speaks frames on its own stdin/stdout.
 *
 * The program is left running if stimbench is killed outright (SIGKILL): a board on a pty then sees
 * silence and its watchdog ends the output, which is the stop path a hard kill relies on. On every other
 * exit stimbench stops the program (SIGTERM) after its session's stop or ESTOP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { CliError, EXIT } from '../exitCodes.ts';

export interface BoardProcess {
  child: ChildProcess;
  /** Where it serves the board: a pty path, a TCP address, or 'stdio'. */
  where: { kind: 'pty'; path: string } | { kind: 'tcp'; host: string; port: number } | { kind: 'stdio' };
  /** What the program printed (stdout and stderr), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startBoardCommand(command: string, options: { stdio: boolean; timeoutMs?: number }): Promise<BoardProcess> {
  // A process group of its own: stop() ends the shell and the board program it started, whatever the
  // shell does; and a Ctrl-C at the terminal reaches only stimbench (which ramps the output down), not
  // the board program (which would drop the link mid-ramp).
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let text = '';
  child.stderr!.on('data', (d: Buffer) => {
    text += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    }
    await exited;
  };
  const output = () => text;
  // Until it says where it serves the board, a failing program is a link failure with its own words.
  const failed = (why: string) => new CliError(EXIT.linkLost, `the board program ${why}${text.trim() ? `; it printed:\n${text.trim()}` : ''}`);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error) => reject(failed(`could not be started (${error.message})`)));
  });
  await spawned;
  if (options.stdio) return { child, where: { kind: 'stdio' }, output, stop };
  const timeoutMs = options.timeoutMs ?? 15_000;
  const where = await new Promise<BoardProcess['where']>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(failed(`did not print "PTY <path>" or "TCP <addr>:<port>" within ${timeoutMs / 1000} s`));
      void stop();
    }, timeoutMs);
    let stdout = '';
    const onData = (d: Buffer) => {
      stdout += d.toString();
      text += d.toString();
      const pty = /^PTY (\S+)$/m.exec(stdout);
      const tcp = /^TCP (\S+):(\d+)$/m.exec(stdout);
      if (pty || tcp) {
        clearTimeout(timer);
        // Keep reading (and discarding into `text`) so the program never blocks on a full pipe.
        resolve(pty ? { kind: 'pty', path: pty[1]! } : { kind: 'tcp', host: tcp![1]!, port: Number(tcp![2]) });
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(failed(`exited (${code ?? signal}) before saying where it serves the board`));
    });
  });
  return { child, where, output, stop };
}

/** A TCP connection as byte streams (for StreamSerialPort). */
export function connectTcp(host: string, port: number): Promise<{ input: NodeJS.ReadableStream & import('node:net').Socket; output: import('node:net').Socket; close(): void }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({ input: socket, output: socket, close: () => socket.destroy() });
    });
    socket.once('error', reject);
  });
}
