/**
 * Durable records: a 12-hour session's record stored in IndexedDB (fake-indexeddb in Node)
 * — wall time, size, events written per second — and no event lost while telemetry streams at 1 kHz on
 * two channels. Figures are printed as ratios against baselines run in the same process (a plain
 * JSON.stringify of the same data; an in-memory append); nothing here asserts on time. Target: a 12-hour
 * record under 5 MB.
 *
 * Size is measured as the bytes of the stored values serialised with V8's ValueSerializer
 * (`v8.serialize`): the structured-clone encoding Chromium's IndexedDB writes to disk, read back from
 * the database after the writes committed.
 */
import 'fake-indexeddb/auto';
import { performance } from 'node:perf_hooks';
import { serialize } from 'node:v8';
import { expect, test } from 'vitest';
import type { Program, TelemetryMessage, TelemetrySample } from '../firmware-protocol/src/index.ts';
import { VirtualClock } from '../hardware-mock/src/clock.ts';
import { effectiveLimits } from '../firmware-protocol/src/index.ts';
import { openStimbenchDb } from '../src/lib/storage/openStimbenchDb.ts';
import { RecordStore } from '../src/lib/storage/RecordStore.ts';
import type { RecordEventBody, SessionRecord } from '../src/lib/session/recordTypes.ts';
import { SessionRecorder } from '../src/lib/session/SessionRecorder.ts';

const HOURS = 12;
const SECONDS = HOURS * 3600;
const RATE_HZ = 1000;
const BATCH = 50; // samples per TELEMETRY frame (board default: 50 ms at 1 kHz)

const program = (channel: number): Program => ({
  channel,
  mode: 'conventional',
  waveform: 'symmetric-biphasic',
  frequencyDeciHz: 1000,
  pulseWidthUs: 100,
  amplitudeUa: 20_000,
  durationMs: HOURS * 3_600_000,
  rampUpMs: 10_000,
  rampDownMs: 5_000,
  burstPulses: 0,
  burstFrequencyDeciHz: 0,
  sweepHighDeciHz: 0,
  sweepPeriodMs: 0,
});

function header(id: string, channel: number): SessionRecord {
  return {
    id,
    status: 'open',
    createdMonoMs: 0,
    createdWallMs: Date.UTC(2026, 0, 1),
    endedWallMs: null,
    endedMonoMs: null,
    plan: { program: program(channel), titration: { startUa: 5000, stepUa: 1000, maxUa: 20_000 }, presetId: 'conventional-tens', programmeRef: null, label: 'bench' },
    board: {
      firmwareVersion: '1.0.0',
      protocolVersion: 1,
      serialNumber: 'SIM-0001',
      caps: { channelCount: 2, maxAmplitudeUa: 80_000, maxPulseWidthUs: 400, minFrequencyDeciHz: 10, maxFrequencyDeciHz: 1500, maxSlewUaPerS: 10_000, complianceMv: 80_000 },
      watchdogMs: 500,
      telemetryRateHz: RATE_HZ,
      port: { kind: 'simulated', label: 'Simulated board (SIM-0001)' },
    },
    limits: { effective: effectiveLimits('conventional'), amplitudeCeiling: { value: 60_000, source: 'mode-table', reason: 'conventional mode' }, labCap: null, electrodeAreaCm2: null },
    outcome: null,
    stopReason: null,
    outcomeMessage: null,
    targetUa: null,
    dose: [],
    pain: { pre: 6, post: null },
    eventCount: null,
    summaryChunkCount: null,
  };
}

/** A reusable telemetry frame: the samples array is rewritten in place (the summariser copies what it needs). */
function telemetryFeed(channel: number) {
  const samples: TelemetrySample[] = Array.from({ length: BATCH }, () => ({ currentUa: 0, voltageMv: 0 }));
  const message: TelemetryMessage = { type: 'telemetry', seq: 0, channel, firstSampleMs: 0, sampleIntervalUs: 1_000_000 / RATE_HZ, samples };
  return (firstSampleMs: number): TelemetryMessage => {
    for (let k = 0; k < BATCH; k++) {
      const t = firstSampleMs + k;
      // 10 s ramp to 20 mA, then a hold with a little noise, like the board's delivered envelope.
      const s = samples[k]!;
      s.currentUa = t < 10_000 ? Math.round(t * 2) : 20_000 - ((t * 7919) % 97);
      s.voltageMv = Math.round(s.currentUa * 1.1);
    }
    message.firstSampleMs = firstSampleMs;
    return message;
  };
}

/** The session's events over 12 h: start, commands and ACKs, phases, a board status, reminders, outcome. */
function sessionEvents(): RecordEventBody[] {
  const p = program(0);
  const events: RecordEventBody[] = [
    { kind: 'user', action: 'start', valueUa: 5000 },
    { kind: 'pain', when: 'pre', nrs: 6 },
    { kind: 'command', command: 'setProgram', channel: 0, program: { ...p, amplitudeUa: 5000 } },
    { kind: 'ack', command: 'setProgram', seq: 10, rttMs: 2.1, echo: { kind: 'program', program: { ...p, amplitudeUa: 5000 } } },
    { kind: 'phase', from: 'idle', to: 'titrating' },
    { kind: 'command', command: 'start', channel: 0 },
    { kind: 'ack', command: 'start', seq: 11, rttMs: 1.9, echo: { kind: 'none' } },
  ];
  for (let i = 0; i < 15; i++) {
    events.push({ kind: 'user', action: 'titrate-up', valueUa: 6000 + i * 1000 });
    events.push({ kind: 'command', command: 'setAmplitude', channel: 0, amplitudeUa: 6000 + i * 1000 });
    events.push({ kind: 'ack', command: 'setAmplitude', seq: 12 + i, rttMs: 2, echo: { kind: 'amplitude', channel: 0, amplitudeUa: 6000 + i * 1000 } });
  }
  events.push({ kind: 'user', action: 'titrate-accept', valueUa: 20_000 }, { kind: 'phase', from: 'titrating', to: 'holding' });
  for (let h = 4; h < HOURS; h += 4) events.push({ kind: 'reminder', reminder: 'move-electrodes', siteMs: h * 3_600_000 });
  events.push({ kind: 'board-status', channel: 0, state: 'ramping-down', amplitudeUa: 20_000, targetUa: 0, elapsedMs: HOURS * 3_600_000 - 5000, fault: null });
  events.push({ kind: 'phase', from: 'holding', to: 'ramping-down' }, { kind: 'board-status', channel: 0, state: 'idle', amplitudeUa: 0, targetUa: 0, elapsedMs: 0, fault: null });
  return events;
}

const kB = (n: number) => `${(n / 1024).toFixed(0)} kB`;
const MB = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

test('a 12-hour session record: wall time and size in IndexedDB', async () => {
  const db = await openStimbenchDb({ name: 'bench-12h' });
  const store = new RecordStore(db);
  const clock = new VirtualClock();
  const feed = telemetryFeed(0);

  const t0 = performance.now();
  const recorder = await SessionRecorder.create(store, clock, header('r-12h', 0));
  const events = sessionEvents();
  let e = 0;
  for (let ms = 0; ms < SECONDS * 1000; ms += BATCH) {
    recorder.telemetry(feed(ms));
    // Events are spread over the session as the engine would write them (write-ahead ones awaited).
    if (e < events.length && ms % 1_000_000 === 0) await recorder.append(events[e++]!);
  }
  while (e < events.length) await recorder.append(events[e++]!);
  await recorder.drain();
  const closed = await recorder.close('completed', null, 'completed', 20_000);
  const storeMs = performance.now() - t0;

  const full = await store.getFull('r-12h');
  const storedBytes = serialize(full.record).byteLength + full.events.reduce((n, ev) => n + serialize(ev).byteLength, 0) + full.summaries.reduce((n, c) => n + serialize(c).byteLength, 0);
  const summaryBytes = full.summaries.reduce((n, c) => n + serialize(c).byteLength, 0);
  const eventBytes = full.events.reduce((n, ev) => n + serialize(ev).byteLength, 0);

  // Baseline 1: the same summaries as one object per second, JSON.stringify'd (the obvious layout).
  const b0 = performance.now();
  let baselineBytes = JSON.stringify(full.record).length + JSON.stringify(full.events).length;
  for (const c of full.summaries) {
    for (let s = 0; s < c.seconds; s++) {
      baselineBytes += JSON.stringify({ recordId: c.recordId, channel: c.channel, second: c.firstSecond + s, minUa: c.minUa[s], meanUa: c.meanUa[s], maxUa: c.maxUa[s], samples: c.samples[s], activeSamples: c.activeSamples[s] }).length + 1;
    }
  }
  const baselineMs = performance.now() - b0;
  // Baseline 2: JSON.stringify of the whole stored record as it is (typed arrays as arrays).
  const s0 = performance.now();
  const asJson = JSON.stringify({ record: full.record, events: full.events, summaries: full.summaries.map((c) => ({ ...c, minUa: [...c.minUa], meanUa: [...c.meanUa], maxUa: [...c.maxUa], samples: [...c.samples], activeSamples: [...c.activeSamples] })) });
  const stringifyMs = performance.now() - s0;

  const secondsSummarised = full.summaries.reduce((n, c) => n + c.seconds, 0);
  console.log(
    [
      `12-hour record (1 channel, ${RATE_HZ} Hz telemetry → ${secondsSummarised} per-second summaries in ${full.summaries.length} chunks, ${full.events.length} events):`,
      `  stored size (V8 structured-clone bytes): ${MB(storedBytes)} (summaries ${kB(summaryBytes)}, events ${kB(eventBytes)}) — target < 5 MB`,
      `  vs one JSON object per second: ${MB(baselineBytes)} → ${(baselineBytes / storedBytes).toFixed(1)}× smaller; vs the whole record as JSON: ${MB(asJson.length)}`,
      `  wall time to summarise ${(SECONDS * RATE_HZ / 1e6).toFixed(1)} M samples and store everything: ${storeMs.toFixed(0)} ms = ${((SECONDS * 1000) / storeMs).toFixed(0)}× real time`,
      `  baselines in this process: per-second JSON.stringify ${baselineMs.toFixed(0)} ms (ratio ${(storeMs / baselineMs).toFixed(1)}×), whole-record JSON.stringify ${stringifyMs.toFixed(0)} ms (ratio ${(storeMs / stringifyMs).toFixed(1)}×)`,
    ].join('\n'),
  );
  expect(secondsSummarised).toBe(SECONDS);
  expect(closed.dose[0]!.samples).toBe(SECONDS * RATE_HZ);
  expect(storedBytes).toBeLessThan(5 * 1024 * 1024);
  db.close();
}, 600_000);

test('events written per second (each durable before the next)', async () => {
  const db = await openStimbenchDb({ name: 'bench-events' });
  const store = new RecordStore(db);
  const clock = new VirtualClock();
  const recorder = await SessionRecorder.create(store, clock, header('r-events', 0));
  const N = 3000;
  const body: RecordEventBody = { kind: 'command', command: 'setAmplitude', channel: 0, amplitudeUa: 12_000 };
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await recorder.append(body);
  const durableMs = performance.now() - t0;
  // Baseline: the same events appended to an in-memory array after JSON.stringify (no durability).
  const memory: string[] = [];
  const b0 = performance.now();
  for (let i = 0; i < N; i++) memory.push(JSON.stringify({ ...body, recordId: 'r-events', index: i, monoMs: 0, wallMs: 0 }));
  const memoryMs = performance.now() - b0;
  const perSecond = (N * 1000) / durableMs;
  console.log(
    `durable event appends: ${perSecond.toFixed(0)} events/s (${((durableMs / N) * 1000).toFixed(0)} µs each, awaited one by one); ` +
      `in-memory JSON baseline ${((N * 1000) / memoryMs).toFixed(0)} events/s → durable is ${(durableMs / memoryMs).toFixed(0)}× slower, ` +
      `and ${(perSecond / 10).toFixed(0)}× the ~10 events/s a busy session writes`,
  );
  expect((await store.getEvents('r-events')).length).toBe(N);
  db.close();
}, 600_000);

test('no event lost while telemetry streams at 1 kHz on two channels', async () => {
  const db = await openStimbenchDb({ name: 'bench-stream' });
  const store = new RecordStore(db);
  const clock = new VirtualClock();
  const channels = [0, 1];
  const recorders = await Promise.all(channels.map((c) => SessionRecorder.create(store, clock, header(`r-stream-${c}`, c), { flushEverySeconds: 10 })));
  const feeds = channels.map((c) => telemetryFeed(c));
  const STREAM_S = 600; // 10 minutes of stream
  const appended = [0, 0];
  const pending: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (let ms = 0; ms < STREAM_S * 1000; ms += BATCH) {
    for (const c of channels) recorders[c]!.telemetry(feeds[c]!(ms));
    // An event every 100 ms on each channel: ACK-like events are appended from listeners (not awaited),
    // every tenth is a write-ahead command (awaited, as the engine does before sending).
    if (ms % 100 === 0) {
      for (const c of channels) {
        const n = appended[c]!++;
        const write = recorders[c]!.append({ kind: 'ack', command: 'heartbeat', seq: n & 0xffff, rttMs: 1, echo: { kind: 'none' } });
        if (n % 10 === 0) await write;
        else pending.push(write);
      }
    }
  }
  await Promise.all(pending);
  for (const r of recorders) await r.close('completed', null, 'ok', 20_000);
  const wallMs = performance.now() - t0;
  let lost = 0;
  for (const c of channels) {
    const events = await store.getEvents(`r-stream-${c}`);
    const acks = events.filter((e) => e.kind === 'ack');
    lost += appended[c]! - acks.length;
    // Indexes contiguous: nothing skipped, nothing duplicated.
    expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
    const chunks = await store.getSummaries(`r-stream-${c}`);
    const samples = chunks.reduce((n, ch) => n + Array.from(ch.samples.slice(0, ch.seconds)).reduce((a, b) => a + b, 0), 0);
    expect(samples).toBe(STREAM_S * RATE_HZ);
  }
  console.log(
    `1 kHz × 2 channels for ${STREAM_S} s with ${appended[0]! + appended[1]!} events: events lost ${lost}; ` +
      `${(STREAM_S * 1000 / wallMs).toFixed(0)}× real time (${wallMs.toFixed(0)} ms wall for ${STREAM_S} s of stream)`,
  );
  expect(lost).toBe(0);
  db.close();
}, 600_000);
