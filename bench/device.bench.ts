/**
 * Device-layer benchmarks. They MEASURE and PRINT; they never assert on time. Each figure is
 * printed with a baseline run in the same process, so a slow shared machine shows up in both:
 * - command round trip setProgram → ACK through the simulated transport on the real clock (median, p99);
 *   baseline: the same frame written and its ACK read on a raw transport, without the client;
 * - estop() → board output at zero on every channel, real clock, while the board streams 1 kHz telemetry
 *   (p50, p99); baseline: a raw ESTOP frame written on a raw transport;
 * - simulated hours per wall-clock second for a 12-hour conventional session, telemetry on, full client
 *   with heartbeats, on VirtualClock; baselines: the board with a raw host (no client, no transport
 *   wrapper) and the VirtualClock alone with the same timers.
 * Set STIMBENCH_CPU_PROF=<dir> to also write .cpuprofile files for the 12-hour run and its baseline.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { expect, test } from 'vitest';
import { encodeFrame, FrameDecoder, type Message, type Program } from '../firmware-protocol/src/index.ts';
import { realClock, SimulatedBoard, VirtualClock } from '../hardware-mock/src/index.ts';
import { StimulatorClient } from '../src/lib/device/StimulatorClient.ts';
import { createSimulatedTransport } from '../src/lib/transport/SimulatedTransport.ts';
import { CONVENTIONAL as PROGRAM } from '../tests/fixtures/records.ts';
import { PADS_5X5_CM2 } from '../tests/fixtures/electrodes.ts';

const HOUR_MS = 3_600_000;


function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { n: s.length, median: at(0.5), p99: at(0.99), max: s[s.length - 1]! };
}
const ms = (x: number) => `${x.toFixed(3)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

/** A raw host on a simulated board: the transport without the client, reading frames by hand. */
async function rawHost(board: SimulatedBoard) {
  const transport = createSimulatedTransport(board);
  await transport.open();
  const writer = transport.writable.getWriter();
  const reader = transport.readable.getReader();
  const decoder = new FrameDecoder();
  let seq = 1;
  const waiting = new Map<number, (m: Message) => void>();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }) as const);
      if (done) return;
      for (const m of decoder.push(value)) if ('replyTo' in m) waiting.get(m.replyTo)?.(m);
    }
  })();
  const request = async (m: Message) => {
    const reply = new Promise<Message>((r) => waiting.set(m.seq, r));
    await writer.write(encodeFrame(m));
    const out = await reply;
    waiting.delete(m.seq);
    return out;
  };
  const nextSeq = () => (seq = seq >= 0xffff ? 1 : seq + 1);
  await request({ type: 'hello', seq: nextSeq(), minVersion: 1, maxVersion: 1 });
  return { transport, writer, request, nextSeq, close: () => transport.close() };
}

test('command round trip: setProgram → ACK (real clock, simulated transport, no latency)', async () => {
  const RUNS = 2_000;
  const WARMUP = 300;
  const board = new SimulatedBoard({ clock: realClock });
  const client = new StimulatorClient(createSimulatedTransport(board), { electrodeAreasCm2: PADS_5X5_CM2 });
  await client.connect();
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const program = { ...PROGRAM, amplitudeUa: 20_000 + (i % 2) * 10 };
    const t0 = performance.now();
    await client.setProgram(program);
    if (i >= WARMUP) times.push(performance.now() - t0);
  }
  await client.disconnect();
  board.destroy();

  const rawBoard = new SimulatedBoard({ clock: realClock });
  const raw = await rawHost(rawBoard);
  const rawTimes: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    const reply = await raw.request({ type: 'setProgram', seq: raw.nextSeq(), program: { ...PROGRAM, amplitudeUa: 20_000 + (i % 2) * 10 } });
    if (i >= WARMUP) rawTimes.push(performance.now() - t0);
    expect(reply.type).toBe('ack');
  }
  await raw.close();
  rawBoard.destroy();

  const c = summary(times);
  const r = summary(rawTimes);
  console.log(
    [
      `setProgram → ACK round trip, ${c.n} runs (real clock, in-process):`,
      `  StimulatorClient: median ${ms(c.median)}, p99 ${ms(c.p99)}, max ${ms(c.max)}`,
      `  baseline raw transport (encode, write, read, decode; no client): median ${ms(r.median)}, p99 ${ms(r.p99)}`,
      `  ratio client / raw: median ×${(c.median / r.median).toFixed(2)}, p99 ×${(c.p99 / r.p99).toFixed(2)}`,
    ].join('\n'),
  );
});

test('estop() → zero output on every channel (real clock, board streaming 1 kHz telemetry on 2 channels)', async () => {
  const RUNS = 300;
  const fast: Program = { ...PROGRAM, amplitudeUa: 2_000, rampUpMs: 200 };
  // The client under test and, interleaved run by run so machine load hits both alike, a raw host
  // writing the ESTOP frame itself on the same kind of transport (the baseline).
  const board = new SimulatedBoard({ clock: realClock });
  const client = new StimulatorClient(createSimulatedTransport(board), { electrodeAreasCm2: PADS_5X5_CM2 });
  await client.connect();
  await client.setProgram(fast);
  await client.setProgram({ ...fast, channel: 1 });
  const rawBoard = new SimulatedBoard({ clock: realClock, seed: 2 });
  const raw = await rawHost(rawBoard);
  await raw.request({ type: 'setProgram', seq: raw.nextSeq(), program: fast });
  await raw.request({ type: 'setProgram', seq: raw.nextSeq(), program: { ...fast, channel: 1 } });
  const heartbeat = setInterval(() => void raw.writer.write(encodeFrame({ type: 'heartbeat', seq: raw.nextSeq() })).catch(() => {}), 100);

  // The board cuts every channel, then sends the ESTOP ACK, inside one synchronous handler.
  const zeroAt = { client: Number.NaN, raw: Number.NaN };
  board.onFrame((dir, m) => {
    if (dir === 'out' && m.type === 'ack' && m.ackedType === 'estop' && Number.isNaN(zeroAt.client)) zeroAt.client = performance.now();
  });
  rawBoard.onFrame((dir, m) => {
    if (dir === 'out' && m.type === 'ack' && m.ackedType === 'estop' && Number.isNaN(zeroAt.raw)) zeroAt.raw = performance.now();
  });
  const toZero: number[] = [];
  const toResolve: number[] = [];
  const rawZero: number[] = [];
  let telemetryFrames = 0;
  client.on('telemetry', () => telemetryFrames++);
  for (let i = 0; i < RUNS; i++) {
    if (client.state === 'faulted') await client.clearFault();
    await client.start(0);
    await client.start(1);
    await raw.request({ type: 'clearFault', seq: raw.nextSeq() });
    await raw.request({ type: 'start', seq: raw.nextSeq(), channel: 0 });
    await raw.request({ type: 'start', seq: raw.nextSeq(), channel: 1 });
    await sleep(55 + (i % 30)); // at least one 50 ms telemetry batch streamed; ESTOP at varying phase
    expect([board.outputUa(0) > 0, board.outputUa(1) > 0]).toEqual([true, true]);
    const first = i % 2 === 0 ? 'client' : 'raw';
    for (const who of first === 'client' ? (['client', 'raw'] as const) : (['raw', 'client'] as const)) {
      zeroAt[who] = Number.NaN;
      const t0 = performance.now();
      if (who === 'client') {
        await client.estop();
        toResolve.push(performance.now() - t0);
        expect([board.outputUa(0), board.outputUa(1)]).toEqual([0, 0]);
        toZero.push(zeroAt.client - t0);
      } else {
        await raw.writer.write(encodeFrame({ type: 'estop', seq: raw.nextSeq() }));
        expect([rawBoard.outputUa(0), rawBoard.outputUa(1)]).toEqual([0, 0]);
        rawZero.push(zeroAt.raw - t0);
      }
    }
    await sleep(2);
  }
  clearInterval(heartbeat);
  await client.disconnect();
  await raw.close();
  board.destroy();
  rawBoard.destroy();

  const z = summary(toZero);
  const w = summary(toResolve);
  const r = summary(rawZero);
  console.log(
    [
      `estop() → board output 0 on both channels, ${z.n} runs, ${telemetryFrames} telemetry frames received meanwhile:`,
      `  call → output zero: median ${ms(z.median)}, p99 ${ms(z.p99)}, max ${ms(z.max)}   (target p99 < 1 ms)`,
      `  call → estop() resolved (frame written): median ${ms(w.median)}, p99 ${ms(w.p99)}`,
      `  baseline, raw host writing the ESTOP frame (same procedure, interleaved): median ${ms(r.median)}, p99 ${ms(r.p99)}`,
      `  ratio client / raw: median ×${(z.median / r.median).toFixed(2)}, p99 ×${(z.p99 / r.p99).toFixed(2)}`,
    ].join('\n'),
  );
});

async function profiled<T>(name: string, run: () => Promise<T>): Promise<T> {
  const dir = process.env.STIMBENCH_CPU_PROF;
  if (!dir) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** A board on its own VirtualClock driven by a raw host: heartbeats written, every frame decoded; no client, no transport wrapper. */
async function rawSession(sessionMs: number) {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock });
  await board.port.open({ baudRate: 115_200 });
  const w = board.port.writable!.getWriter();
  const r = board.port.readable!.getReader();
  const decoder = new FrameDecoder();
  void (async () => {
    for (;;) {
      const { value, done } = await r.read().catch(() => ({ value: undefined, done: true }) as const);
      if (done) return;
      decoder.push(value);
    }
  })();
  let seq = 1;
  await w.write(encodeFrame({ type: 'hello', seq: seq++, minVersion: 1, maxVersion: 1 }));
  await w.write(encodeFrame({ type: 'setProgram', seq: seq++, program: { ...PROGRAM, durationMs: sessionMs } }));
  await w.write(encodeFrame({ type: 'start', seq: seq++, channel: 0 }));
  clock.setInterval(() => void w.write(encodeFrame({ type: 'heartbeat', seq: (seq = seq >= 0xffff ? 1 : seq + 1) })).catch(() => {}), 100);
  return { clock, board, decoder };
}

test('12-hour conventional session on VirtualClock: simulated hours per wall-clock second', async () => {
  const SESSION_MS = 12 * HOUR_MS;
  const STEP_MS = 10 * 60_000;
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock });
  const client = new StimulatorClient(createSimulatedTransport(board), { clock, electrodeAreasCm2: PADS_5X5_CM2 });
  let samples = 0;
  client.on('telemetry', (m) => (samples += m.samples.length));
  const settle = async <T>(p: Promise<T>) => {
    await clock.advance(5);
    return p;
  };
  await settle(client.connect());
  await settle(client.setProgram({ ...PROGRAM, durationMs: SESSION_MS }));
  await settle(client.start(0));
  // Baseline advanced in the same time slices, so machine load hits both alike.
  const raw = await rawSession(SESSION_MS);
  const { clientWall, rawWall } = await profiled('session-12h-client-and-raw-baseline', async () => {
    let clientWall = 0;
    let rawWall = 0;
    for (let t = 0; t < SESSION_MS + 1_000; t += STEP_MS) {
      const t0 = performance.now();
      await clock.advance(STEP_MS);
      const t1 = performance.now();
      await raw.clock.advance(STEP_MS);
      clientWall += t1 - t0;
      rawWall += performance.now() - t1;
    }
    return { clientWall, rawWall };
  });
  expect(board.channelStatus(0).state).toBe('idle');
  expect(board.outputUa(0)).toBe(0);
  expect(board.stats.watchdogTrips).toBe(0);
  expect(client.state).toBe('ready');
  expect(raw.board.stats.watchdogTrips).toBe(0);
  const health = client.linkHealth;
  await settle(client.disconnect());
  board.destroy();
  raw.board.destroy();

  // Baseline 2: the VirtualClock alone, with the same timers (board tick 50 ms, heartbeat 100 ms).
  const cClock = new VirtualClock();
  let ticks = 0;
  cClock.setInterval(() => ticks++, 50);
  cClock.setInterval(() => ticks++, 100);
  const t0 = performance.now();
  for (let t = 0; t < SESSION_MS; t += STEP_MS) await cClock.advance(STEP_MS);
  const clockWall = performance.now() - t0;

  const times = (wallMs: number) => SESSION_MS / wallMs;
  console.log(
    [
      `12-hour conventional session, 1 kHz telemetry, full client with heartbeats (VirtualClock):`,
      `  wall ${(clientWall / 1000).toFixed(2)} s → ${(SESSION_MS / HOUR_MS / (clientWall / 1000)).toFixed(2)} simulated h per wall s = ×${times(clientWall).toFixed(0)} real time   (target ≥ ×3600)`,
      `  ${samples} telemetry samples delivered to the client; heartbeats ${health.heartbeatsSent} sent / ${health.heartbeatAcks} acked`,
      `  baseline, same 12 h with a raw host (board + port + decoding, no client, no transport wrapper): wall ${(rawWall / 1000).toFixed(2)} s = ×${times(rawWall).toFixed(0)}`,
      `  → client + transport wrapper share of the full run's wall time: ${(100 * (1 - rawWall / clientWall)).toFixed(0)} %`,
      `  baseline, VirtualClock alone with the same timers (${ticks} ticks): ×${times(clockWall).toFixed(0)} real time`,
    ].join('\n'),
  );
});
