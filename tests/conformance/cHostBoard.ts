/**
 * The C firmware's host port (firmware-protocol/c/ports/host): built with the project's Makefile, run
 * on a pseudo-terminal (it prints "PTY <path>"), stopped again.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const C_DIR = fileURLToPath(new URL('../../firmware-protocol/c/', import.meta.url));

/** A build directory of its own: other test files build the host board at the same time, and two makes
 * linking one executable at once can leave a broken one. */
const BUILD = 'build/conformance';

export function buildHostBoard(): string {
  execFileSync('make', ['-s', '-C', C_DIR, `BUILD=${BUILD}`, 'host'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return `${C_DIR}${BUILD}/stimbench-host-board`;
}

export interface HostBoard {
  pty: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startHostBoard(executable: string, args: string[] = []): Promise<HostBoard> {
  const child: ChildProcess = spawn(executable, ['--pty', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  const pty = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      text += d.toString();
      const m = /^PTY (\S+)$/m.exec(text);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`stimbench-host-board exited (${code}) before printing its pty: ${text}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pty,
    output: () => text,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
