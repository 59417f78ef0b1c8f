/** Running the real `stimbench` binary (and helper scripts) in child processes for the CLI tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/stimbench.js');

export function tempDir(prefix = 'stimbench-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching `pattern` (rejects if the process exits first). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `detached`: a process group of its own, as a shell gives a foreground job (signal it all with kill(-pid)). */
export function startChild(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; detached?: boolean } = {}): Child {
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'], detached: options.detached ?? false });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (e: Error) => void; from: number }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const lines = out.slice(w.from).split('\n');
      lines.pop(); // incomplete last line
      const hit = lines.find((l) => w.pattern.test(l));
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit);
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    check();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      // Let the last 'data' events in.
      setImmediate(() => {
        check();
        for (const w of waiters.splice(0)) w.reject(new Error(`process exited (${code ?? signal}) before printing a line matching ${w.pattern}\nstdout:\n${out}\nstderr:\n${err}`));
        resolve({ code, signal });
      });
    }),
  );
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(pattern, timeoutMs = 60_000) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
        waiters.push({
          pattern,
          from: 0,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        check();
      });
    },
  };
}

/** The stimbench binary as a child process. */
export function stimbench(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; detached?: boolean } = {}): Child {
  return startChild(process.execPath, [BIN, ...args], options);
}

/** Run stimbench to the end: exit code, stdout, stderr. */
export async function runStimbenchCli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = stimbench(args, options);
  if (options.input !== undefined) child.process.stdin!.end(options.input);
  else child.process.stdin!.end();
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

/** A TypeScript script (through tsx) as a child process. */
export function tsScript(path: string, args: string[]): Child {
  return startChild(process.execPath, ['--import', 'tsx', path, ...args]);
}

/** JSON lines of a --json output. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
