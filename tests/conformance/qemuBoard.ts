/**
 * The C firmware image for the Arm MPS2 AN385 under QEMU (qemu-system-arm -M mps2-an385), its UART0 on
 * a pseudo-terminal: build it (make), start QEMU, read the pty path QEMU prints, and stop it again.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PORT_DIR = fileURLToPath(new URL('../../firmware-protocol/c/ports/mps2-an385/', import.meta.url));

/** Build both images; returns the path of the requested one. */
export function buildImage(probe = false): string {
  execFileSync('make', ['-s', '-C', PORT_DIR], { stdio: ['ignore', 'ignore', 'pipe'] });
  return `${PORT_DIR}build/stimbench-mps2-an385${probe ? '-probe' : ''}.elf`;
}

export interface QemuBoard {
  pty: string;
  /** Everything QEMU printed (semihosting output included). */
  output(): string;
  stop(): Promise<void>;
}

export async function startQemu(elf: string, extraArgs: string[] = []): Promise<QemuBoard> {
  const args = ['-M', 'mps2-an385', '-nographic', '-monitor', 'none', '-serial', 'pty', ...extraArgs, '-kernel', elf];
  const child: ChildProcess = spawn('qemu-system-arm', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const pty = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      text += d.toString();
      const m = /char device redirected to (\/dev\/pts\/\d+)/.exec(text);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`qemu-system-arm exited (${code}) before opening its pty: ${text}`)));
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
