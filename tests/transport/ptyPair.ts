/**
 * A pseudo-terminal pair from socat (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`): bytes written to one
 * end come out of the other, like a null-modem cable. Killing socat is how a test unplugs the device.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface PtyPair {
  a: string;
  b: string;
  /** Ends socat (both ptys go away). Resolves when it has exited. */
  unplug(): Promise<void>;
}

export async function ptyPair(): Promise<PtyPair> {
  const child: ChildProcess = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const paths = await new Promise<string[]>((resolve, reject) => {
    let text = '';
    const found: string[] = [];
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`socat exited (${code}) before making a pty pair: ${text}`)));
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      for (const m of text.matchAll(/PTY is (\S+)/g)) if (!found.includes(m[1]!)) found.push(m[1]!);
      if (found.length === 2 && text.includes('starting data transfer loop')) resolve(found);
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    a: paths[0]!,
    b: paths[1]!,
    unplug: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
