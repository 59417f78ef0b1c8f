/**
 * `stimbench run`, the real binary in a child process: sessions on the simulated board (virtual time and
 * real time), the stop paths at several moments (Ctrl-C ramp, second Ctrl-C and SIGTERM ESTOP), refusals,
 * faults, and the C host board started through --board-cmd, including a hard kill that only the board's
 * watchdog can answer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recordToJson } from '../../src/lib/session/exportRecordJson.ts';
import { RecordFileSchema } from '../../src/lib/session/recordFileSchema.ts';
import { FileRecordStore } from '../../src/lib/storage-node/index.ts';
import { boardCommandWithControl, buildHostBoard } from './hostBoard.ts';
import { jsonLines, ROOT, runStimbenchCli, stimbench, tempDir } from './support.ts';

const PROGRAM = join(ROOT, 'tests/cli/fixtures/program-20s.json');

async function recordsIn(dir: string) {
  const store = await FileRecordStore.open(dir);
  const records = await store.listRecords();
  const full = await Promise.all(records.map((r) => store.getFull(r.id)));
  await store.close();
  return full;
}

/** Pids of running processes whose command line contains `text` (Linux /proc). */
function processesWith(text: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const outcomeOf = (stdout: string) => jsonLines(stdout).find((l) => l.event === 'outcome');

describe('stimbench run on the simulated board', { timeout: 120_000 }, () => {
  test('--help lists the exit codes and examples; a bad command line exits 2', async () => {
    const help = await runStimbenchCli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toMatch(/5 {2}ESTOP/);
    expect(help.stdout).toContain('Examples:');
    const noArea = await runStimbenchCli(['run', '--simulated', '--program', PROGRAM]);
    expect(noArea.code).toBe(2);
    expect(noArea.stderr).toContain('--electrode-area');
    const two = await runStimbenchCli(['run', '--simulated', '--port', '/dev/null', '--program', PROGRAM, '--electrode-area', '25']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('expected exactly one of --simulated, --port PATH or --board-cmd');
    // Simulated times never land in the default records directory.
    const fast = await runStimbenchCli(['run', '--simulated', '--virtual-time', '--program', PROGRAM, '--electrode-area', '25'], { cwd: tempDir() });
    expect(fast.code).toBe(2);
    expect(fast.stderr).toContain('--speed and --virtual-time need --records DIR');
  });

  test('a program runs to completion on virtual time: exit 0, JSON progress, a record the app can import', async () => {
    const dir = tempDir();
    const { code, stdout } = await runStimbenchCli(['run', '--simulated', '--virtual-time', '--program', PROGRAM, '--electrode-area', '25', '--participant', 'p01', '--records', dir]);
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    const progress = lines.filter((l) => l.event === 'progress');
    expect([...new Set(progress.map((l) => l.phase))]).toEqual(expect.arrayContaining(['ramping-up', 'holding', 'ramping-down', 'done']));
    const holding = progress.find((l) => l.phase === 'holding' && l.deliveredUa === 8000)!;
    expect(holding).toMatchObject({ targetUa: 8000 });
    expect(holding.loadOhm).toBeGreaterThan(0);
    expect(outcomeOf(stdout)).toMatchObject({ outcome: 'completed', exitCode: 0, boardOutputUa: [0, 0] });
    const [full] = await recordsIn(dir);
    expect(full!.record).toMatchObject({ status: 'closed', outcome: 'completed', participant: 'p01', targetUa: 8000 });
    expect(full!.record.limits.electrodeAreaCm2).toBe(25);
    // The record says which software ran it: the command line, its package version and build.
    expect(full!.record.software).toMatchObject({ name: 'stimbench CLI', version: expect.stringMatching(/^\d+\.\d+\.\d+/), build: expect.any(String) });
    expect(v.safeParse(RecordFileSchema, JSON.parse(JSON.stringify(recordToJson(full!, 0)))).success).toBe(true);
  });

  test('a built-in preset runs at its suggested start level unless --amplitude names a target; above the ceiling is refused (exit 3, nothing recorded)', async () => {
    const dir = tempDir();
    const refused = await runStimbenchCli(['run', '--simulated', '--virtual-time', '--preset', 'conventional-tens', '--amplitude', '41', '--electrode-area', '25', '--records', dir]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/without titration the target must be an integer in \(0, 40000\] µA/);
    expect(await recordsIn(dir)).toEqual([]);
    const unknown = await runStimbenchCli(['run', '--simulated', '--preset', 'no-such-preset', '--electrode-area', '25', '--records', dir]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no preset "no-such-preset"');
  });

  test('Ctrl-C while ramping up: a ramped stop, exit 4, record "stopped" by the user, board output 0', async () => {
    const dir = tempDir();
    const cli = stimbench(['run', '--simulated', '--program', PROGRAM, '--electrode-area', '25', '--records', dir]);
    await cli.waitForLine(/"phase":"ramping-up","elapsedMs":[1-9]/);
    cli.process.kill('SIGINT');
    const { code } = await cli.exited;
    expect(code).toBe(4);
    const lines = jsonLines(cli.stdout());
    expect(lines.find((l) => l.event === 'signal')).toMatchObject({ signal: 'SIGINT', action: 'stop' });
    expect(lines.filter((l) => l.event === 'progress').map((l) => l.phase)).toContain('ramping-down');
    expect(outcomeOf(cli.stdout())).toMatchObject({ outcome: 'stopped', stopReason: 'user', boardOutputUa: [0, 0] });
    const [full] = await recordsIn(dir);
    expect(full!.record).toMatchObject({ outcome: 'stopped', stopReason: 'user' });
    expect(full!.events.some((e) => e.kind === 'command' && e.command === 'stop')).toBe(true);
  });

  test('Ctrl-C twice (the second during the ramp down): ESTOP, exit 5', async () => {
    const dir = tempDir();
    const cli = stimbench(['run', '--simulated', '--program', PROGRAM, '--electrode-area', '25', '--records', dir]);
    await cli.waitForLine(/"phase":"holding"/);
    cli.process.kill('SIGINT');
    await cli.waitForLine(/"event":"signal"/);
    cli.process.kill('SIGINT');
    const { code } = await cli.exited;
    expect(code).toBe(5);
    expect(outcomeOf(cli.stdout())).toMatchObject({ outcome: 'estopped', boardOutputUa: [0, 0] });
    const [full] = await recordsIn(dir);
    expect(full!.record.outcome).toBe('estopped');
    expect(full!.events.some((e) => e.kind === 'command' && e.command === 'estop')).toBe(true);
  });

  test('SIGTERM while holding: ESTOP at once, exit 5, board output 0', async () => {
    const dir = tempDir();
    const cli = stimbench(['run', '--simulated', '--program', PROGRAM, '--electrode-area', '25', '--records', dir]);
    await cli.waitForLine(/"phase":"holding","elapsedMs":\d+,"remainingMs":\d+,"targetUa":8000,"deliveredUa":8000/);
    cli.process.kill('SIGTERM');
    const { code } = await cli.exited;
    expect(code).toBe(5);
    expect(outcomeOf(cli.stdout())).toMatchObject({ outcome: 'estopped', boardOutputUa: [0, 0] });
  });

  test('SIGTERM while connecting: nothing is sent, no record, exit 4', async () => {
    const dir = tempDir();
    // A frozen board never answers HELLO: the command is still connecting when the signal lands.
    const cli = stimbench(['run', '--simulated', '--simulated-fault', 'frozen', '--program', PROGRAM, '--electrode-area', '25', '--records', dir]);
    await cli.waitForLine(/"event":"connecting"/);
    cli.process.kill('SIGTERM');
    const { code } = await cli.exited;
    expect([4, 7]).toContain(code); // stopped, or the connect attempt had already given up
    expect(await recordsIn(dir)).toEqual([]);
  });

  test('the board refuses to start (electrode off, impedance check): exit 3, record "stopped" (device refused), output 0', async () => {
    const dir = tempDir();
    const { code, stdout } = await runStimbenchCli(['run', '--simulated', '--virtual-time', '--simulated-fault', 'electrode-off', '--program', PROGRAM, '--electrode-area', '25', '--records', dir]);
    expect(code).toBe(3);
    expect(outcomeOf(stdout)).toMatchObject({ outcome: 'stopped', stopReason: 'device-refused', boardOutputUa: [0, 0] });
  });

  test('a port that does not exist: link lost, exit 7', async () => {
    const { code, stderr } = await runStimbenchCli(['run', '--port', '/dev/stimbench-no-such-port', '--program', PROGRAM, '--electrode-area', '25', '--records', tempDir()]);
    expect(code).toBe(7);
    expect(stderr).toContain('could not connect');
  });
});

describe('stimbench run on the C host board (--board-cmd)', { timeout: 120_000 }, () => {
  let executable = '';
  beforeAll(() => {
    executable = buildHostBoard();
  }, 120_000);

  test('SIGTERM while holding: ESTOP, exit 5, record estopped', async () => {
    const dir = tempDir();
    const serial = `SIGTERM-${process.pid}`;
    const cli = stimbench(['run', '--board-cmd', `${executable} --pty --serial ${serial}`, '--program', PROGRAM, '--electrode-area', '25', '--records', dir]);
    await cli.waitForLine(/"phase":"holding".*"deliveredUa":8000/);
    expect(processesWith(serial)).toHaveLength(1);
    cli.process.kill('SIGTERM');
    const { code } = await cli.exited;
    expect(code, cli.stderr()).toBe(5);
    const [full] = await recordsIn(dir);
    expect(full!.record.outcome).toBe('estopped');
    expect(full!.record.board.serialNumber).toBe(serial);
    // The board program was stopped with stimbench, not left behind the shell that started it.
    for (let i = 0; i < 50 && processesWith(serial).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(processesWith(serial)).toEqual([]);
  });

  test('Ctrl-C at a terminal (SIGINT to the whole foreground process group): the board program is not hit, the output ramps down, exit 4', async () => {
    const dir = tempDir();
    const cli = stimbench(['run', '--board-cmd', `${executable} --pty`, '--program', PROGRAM, '--electrode-area', '25', '--records', dir], { detached: true });
    await cli.waitForLine(/"phase":"holding".*"deliveredUa":8000/);
    process.kill(-cli.process.pid!, 'SIGINT');
    const { code } = await cli.exited;
    expect(code, cli.stderr()).toBe(4);
    expect(jsonLines(cli.stdout()).filter((l) => l.event === 'progress').map((l) => l.phase)).toContain('ramping-down');
    const [full] = await recordsIn(dir);
    expect(full!.record).toMatchObject({ outcome: 'stopped', stopReason: 'user' });
  });

  test('an electrode coming off mid-session: the board faults, exit 6, record "fault"', async () => {
    const dir = tempDir();
    const { code, stdout, stderr } = await runStimbenchCli(['run', '--board-cmd', `${executable} --pty --electrode-off-at 0:4000`, '--program', PROGRAM, '--electrode-area', '25', '--records', dir]);
    expect(code, stderr).toBe(6);
    expect(outcomeOf(stdout)).toMatchObject({ outcome: 'fault' });
  });

  const boards: { stop(): void }[] = [];
  afterAll(() => boards.forEach((b) => b.stop()));

  test('SIGKILL of stimbench while the output is on: the board watchdog ends it; the next run closes the record as interrupted', async () => {
    const dir = tempDir();
    const board = boardCommandWithControl(executable, dir);
    boards.push(board);
    const cli = stimbench(['run', '--board-cmd', board.command, '--program', PROGRAM, '--electrode-area', '25', '--records', join(dir, 'records')]);
    await cli.waitForLine(/"phase":"holding".*"deliveredUa":8000/);
    await board.waitForStatus(/watchdog_trips=0/);
    cli.process.kill('SIGKILL');
    await cli.exited;
    // Nobody sends heartbeats any more: the board's own watchdog trips and latches its fault.
    const status = await board.waitForStatus(/watchdog_trips=1/);
    expect(status).not.toMatch(/fault=0 /);
    board.stop();

    // The next start recovers the record the killed process left open.
    const next = await runStimbenchCli(['run', '--simulated', '--virtual-time', '--program', PROGRAM, '--electrode-area', '25', '--records', join(dir, 'records')]);
    expect(next.code).toBe(0);
    expect(jsonLines(next.stdout).filter((l) => l.event === 'recovered')).toHaveLength(1);
    const records = await recordsIn(join(dir, 'records'));
    expect(records.map((r) => r.record.outcome).sort()).toEqual(['completed', 'interrupted']);
  });
});
