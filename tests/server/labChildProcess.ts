/**
 * Start and stop lab servers in child processes (labChild.ts) for the kill-and-restart tests: a free
 * loopback port, the child's first output line once it listens, and its exit (code or signal).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type ChildMode = 'kill-after-commit' | 'kill-before-commit' | 'serve';

export interface LabChild {
  child: ChildProcess;
  url: string;
  /** The token of bench "b1" when this start created it; null when it already existed. */
  benchToken: string | null;
  exited: Promise<NodeJS.Signals | number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Start labChild.ts; resolves with its first output line once it listens. */
export async function startLabChild(dataDir: string, port: number, mode: ChildMode, benchOrigin?: string): Promise<LabChild> {
  const args = ['--import', 'tsx', join(import.meta.dirname, 'labChild.ts'), dataDir, String(port), mode, ...(benchOrigin ? [benchOrigin] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code, signal) => reject(new Error(`lab child exited before listening (${signal ?? code})`)));
  });
  return { child, exited, ...(JSON.parse(line) as { url: string; benchToken: string | null }) };
}

/** Stop a child still running (SIGKILL) and wait for it to be gone. */
export async function stopLabChild(lab: LabChild | null | undefined): Promise<void> {
  if (!lab) return;
  if (lab.child.exitCode === null && lab.child.signalCode === null) lab.child.kill('SIGKILL');
  await lab.exited;
}
