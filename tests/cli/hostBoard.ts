/**
 * The C host board (firmware-protocol/c/ports/host) for the CLI tests, built in a directory of its own
 * (other test files build it at the same time), started by stimbench through --board-cmd.
 *
 * `boardCommandWithControl` wraps it so the test keeps a line to the board after stimbench is gone: the
 * board's stdin is a FIFO the test writes control commands to ("status", "quit"), and its stdout goes to
 * a log file that `tail -f` repeats for stimbench (which reads the "PTY <path>" line from it).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const C_DIR = fileURLToPath(new URL('../../firmware-protocol/c/', import.meta.url));
const BUILD = 'build/cli-tests';

export function buildHostBoard(): string {
  execFileSync('make', ['-s', '-C', C_DIR, `BUILD=${BUILD}`, 'host'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return `${C_DIR}${BUILD}/stimbench-host-board`;
}

export interface ControlledBoard {
  /** The --board-cmd string. */
  command: string;
  /** Send a control line to the board ("status", "quit"). */
  send(line: string): void;
  /** Everything the board printed on stdout so far. */
  log(): string;
  /** Ask for STATUS until `pattern` matches a STATUS line, or `timeoutMs` passes. */
  waitForStatus(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Quit the board and close the FIFO. */
  stop(): void;
}

export function boardCommandWithControl(executable: string, dir: string, boardArgs: string[] = []): ControlledBoard {
  const fifo = join(dir, 'board-control');
  const log = join(dir, 'board.log');
  execFileSync('mkfifo', [fifo]);
  // Made now, so `tail` finds it even before the backgrounded board's redirection has run.
  writeFileSync(log, '');
  // Read-write: opening never blocks, and the board's stdin never sees end-of-file while we hold it.
  const fd = openSync(fifo, 'r+');
  const command = `${executable} --pty ${boardArgs.join(' ')} <${fifo} >${log} 2>&1 & tail -n +1 -f ${log}`;
  const readLog = () => {
    try {
      return readFileSync(log, 'utf8');
    } catch {
      return '';
    }
  };
  let stopped = false;
  return {
    command,
    send: (line) => void writeSync(fd, `${line}\n`),
    log: readLog,
    async waitForStatus(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        writeSync(fd, 'status\n');
        await new Promise((r) => setTimeout(r, 200));
        const hit = readLog()
          .split('\n')
          .filter((l) => l.startsWith('STATUS '))
          .at(-1);
        if (hit && pattern.test(hit)) return hit;
        if (Date.now() > deadline) throw new Error(`no STATUS matching ${pattern} within ${timeoutMs} ms; board log:\n${readLog()}`);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        writeSync(fd, 'quit\n');
      } finally {
        closeSync(fd);
      }
    },
  };
}
