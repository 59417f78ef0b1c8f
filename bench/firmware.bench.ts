/**
 * The C reference firmware's figures (printed, never asserted against time: a shared machine is no
 * pass/fail oracle):
 *   - flash and static RAM of a two-channel board for Cortex-M0+ at -Os (arm-none-eabi-size; targets
 *     ≤ 16 kB flash, ≤ 4 kB RAM) and the worst stack frame (-fstack-usage);
 *   - host-built C decoder throughput beside the TypeScript FrameDecoder on the same bytes (MB/s, ratio);
 *   - the host board's watchdog trip time after the last frame, p50/p99 over 100 trials;
 *   - a long libFuzzer run on receiver + dispatcher: executions and coverage.
 * BENCH_FUZZ_SECONDS (default 120) sets the fuzz run's length.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { FrameDecoder, encodeFrame, type Message } from '../firmware-protocol/src/index.ts';

const run = promisify(execFile);
const C_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'firmware-protocol', 'c');
const make = (...targets: string[]) => run('make', ['-C', C_DIR, '--no-print-directory', ...targets], { maxBuffer: 64 * 1024 * 1024 });

test('flash, static RAM and stack of the core for Cortex-M0+', { timeout: 300_000 }, async () => {
  const { stdout } = await make('size');
  const flash = /flash (\d+) B, static RAM (\d+) B/.exec(stdout);
  const stack = /worst stack frame: (\d+) B \((.*)\)/.exec(stdout);
  expect(flash).not.toBeNull();
  console.log(stdout.split('\n').filter((l) => /core objects|linked|worst stack/.test(l)).join('\n'));
  console.log(`targets: flash ${flash![1]} B of 16384 B, RAM ${flash![2]} B of 4096 B; worst stack frame ${stack?.[1]} B`);
});

test('C decoder throughput beside the TypeScript FrameDecoder, same bytes', { timeout: 300_000 }, async () => {
  await make('bench-decoder');
  const file = join(mkdtempSync(join(tmpdir(), 'sb-bench-')), 'stream.bin');
  const { stdout } = await run(join(C_DIR, 'build', 'bench-decoder'), [file]);
  const c = /mb_per_s=([\d.]+)/.exec(stdout);
  expect(c).not.toBeNull();
  const stream = new Uint8Array(readFileSync(file));
  const decoder = new FrameDecoder();
  let bytes = 0;
  let frames = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    // 64 kB chunks, as a serial port's reads arrive.
    for (let o = 0; o < stream.length; o += 65536) frames += decoder.push(stream.subarray(o, o + 65536)).length;
    bytes += stream.length;
  }
  const tsMbPerS = bytes / ((performance.now() - start) / 1000) / 1e6;
  const cMbPerS = Number(c![1]);
  expect(frames).toBeGreaterThan(0);
  console.log(`decoder: C ${cMbPerS.toFixed(1)} MB/s, TypeScript ${tsMbPerS.toFixed(1)} MB/s, C/TS ${(cMbPerS / tsMbPerS).toFixed(2)}× (4 MB of TELEMETRY and ACK frames)`);
});

test('host board watchdog: trip time after the last frame, p50/p99 over 100 trials', { timeout: 300_000 }, async () => {
  await make('host');
  const BOARDS = 10;
  const TRIALS_PER_BOARD = 10;
  const trips: number[] = [];
  await Promise.all(
    Array.from({ length: BOARDS }, async () => {
      const proc = spawn(join(C_DIR, 'build', 'stimbench-host-board'), ['--stdio', '--quiet', '--telemetry-hz', '0']);
      const decoder = new FrameDecoder();
      let waiting: ((m: Message) => void) | null = null;
      proc.stdout.on('data', (chunk: Buffer) => {
        for (const m of decoder.push(new Uint8Array(chunk))) if (waiting) waiting(m);
      });
      // One wait at a time; a board that stops answering fails the run instead of hanging it.
      const next = (predicate: (m: Message) => boolean) =>
        new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('host board did not answer within 10 s')), 10_000);
          waiting = (m) => {
            if (predicate(m)) {
              clearTimeout(timer);
              waiting = null;
              resolve(performance.now());
            }
          };
        });
      let seq = 1;
      const hello = next((m) => m.type === 'info');
      proc.stdin.write(encodeFrame({ type: 'hello', seq: seq++, minVersion: 1, maxVersion: 1 }));
      await hello;
      // Each trial: one valid frame (it re-arms the watchdog even with the fault latched), then silence.
      await next((m) => m.type === 'fault' && m.code === 'watchdog');
      for (let i = 0; i < TRIALS_PER_BOARD; i++) {
        const fault = next((m) => m.type === 'fault' && m.code === 'watchdog');
        const sentAt = performance.now();
        proc.stdin.write(encodeFrame({ type: 'heartbeat', seq: seq++ }));
        trips.push((await fault) - sentAt);
      }
      proc.kill('SIGTERM');
    }),
  );
  trips.sort((a, b) => a - b);
  const pct = (p: number) => trips[Math.min(trips.length - 1, Math.floor((p / 100) * trips.length))]!;
  expect(trips.length).toBe(BOARDS * TRIALS_PER_BOARD);
  console.log(`host watchdog (500 ms): trip after last frame p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${trips[trips.length - 1]!.toFixed(1)} ms (${trips.length} trials, 10 boards at once, stdio pipes)`);
});

test('long fuzz run on receiver + dispatcher', { timeout: 1_800_000 }, async () => {
  const seconds = Number(process.env.BENCH_FUZZ_SECONDS ?? 120);
  const { stdout } = await make('fuzz', `FUZZ_SECONDS=${seconds}`);
  const log = readFileSync(join(C_DIR, 'build', 'fuzz.log'), 'utf8');
  const executed = /stat::number_of_executed_units:\s*(\d+)/.exec(log);
  const coverage = [...log.matchAll(/cov: (\d+) ft: (\d+)/g)].at(-1);
  expect(executed, stdout).not.toBeNull();
  console.log(`fuzz ${seconds} s: ${executed![1]} executions, coverage ${coverage?.[1]} edges / ${coverage?.[2]} features, no crash`);
});
