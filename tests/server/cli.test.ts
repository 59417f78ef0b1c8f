/** The `stimbench lab` command line: help with examples, defaults, and refused arguments (in process). */
import type { Command } from 'commander';
import { expect, test } from 'vitest';
import { stimbenchProgram } from '../../src/cli/stimbench.ts';

function run(args: string[]): { out: string; err: string; exit: number | null; lab: Command } {
  const program = stimbenchProgram();
  let out = '';
  let err = '';
  let exit: number | null = null;
  const lab = program.commands.find((c) => c.name() === 'lab')!;
  for (const command of [program, lab]) {
    command.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  }
  // Parse only: replace the action so nothing starts listening.
  lab.action(() => {});
  try {
    program.parse(['node', 'stimbench', ...args]);
  } catch (error) {
    exit = (error as { exitCode?: number }).exitCode ?? -1;
  }
  return { out, err, exit, lab };
}

test('lab --help lists every option with examples', () => {
  const { out, exit } = run(['lab', '--help']);
  expect(exit).toBe(0);
  for (const option of ['--port', '--host', '--data', '--database-url', '--bench-origin', '--admin-user']) expect(out).toContain(option);
  expect(out).toMatch(/Examples:[\s\S]*STIMBENCH_ADMIN_PASSWORD=[\s\S]*--database-url postgres:\/\//);
});

test('defaults: 127.0.0.1, port 8787, no bench origins', () => {
  const { lab, exit } = run(['lab']);
  expect(exit).toBeNull();
  expect(lab.opts()).toMatchObject({ host: '127.0.0.1', port: 8787, benchOrigin: [], data: 'stimbench-lab-data' });
});

test('several bench origins are collected; a path or a non-URL is refused', () => {
  expect(run(['lab', '--bench-origin', 'https://a.example', '--bench-origin', 'http://localhost:5173']).lab.opts().benchOrigin).toEqual(['https://a.example', 'http://localhost:5173']);
  const withPath = run(['lab', '--bench-origin', 'https://a.example/app']);
  expect(withPath.exit).toBe(1);
  expect(withPath.err).toMatch(/expected an origin \(scheme, host and port only\)/);
  expect(run(['lab', '--bench-origin', 'not a url']).err).toMatch(/expected an origin such as/);
});

test('a bad port is refused with the accepted range', () => {
  const { exit, err } = run(['lab', '--port', '70000']);
  expect(exit).toBe(1);
  expect(err).toMatch(/expected a port number 0–65535/);
});
