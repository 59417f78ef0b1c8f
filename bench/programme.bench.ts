/**
 * Long programmes headless: how many simulated hours the whole stack (SimulatedBoard ← bytes, framing,
 * CRC ← StimulatorClient ← SessionEngine → record port) runs per wall second with full 1 kHz telemetry,
 * and the floor under it: encoding and decoding the same frames (20 TELEMETRY frames of 50 samples, 10
 * HEARTBEAT/ACK pairs and a GET_STATUS/STATUS pair per simulated second), with nothing else. Both on the
 * same process, interleaved, best of 3 (CPU time: the machine is shared); the stack's figure is printed as
 * a multiple of the floor. Then the built-in 4-week diabetic-neuropathy programme (28 daily 30-minute
 * sessions) and the 60-day wearable programme (60-minute sessions, six a day) are projected from the
 * per-session speed of their own presets. Printed, never asserted.
 */
import { test } from 'vitest';
import { FrameDecoder, encodeFrame, type Message } from '../firmware-protocol/src/index.ts';
import { BUILTIN_PRESETS } from '../src/lib/presets/builtinPresets.ts';
import { BUILTIN_PROGRAMMES } from '../src/lib/presets/builtinProgrammes.ts';
import { planFromPreset } from '../src/lib/session/planFromPreset.ts';
import { headlessRig, runSession } from './headlessSession.ts';

const HOUR_MS = 3_600_000;
const SIM_HOURS = 1;

function cpuMs(fn: () => Promise<void>): Promise<number> {
  const c0 = process.cpuUsage();
  return fn().then(() => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  });
}

/** The wire alone: the frames one simulated second of a 1 kHz session puts on the link, encoded and decoded. */
async function wireFloor(seconds: number): Promise<{ bytes: number }> {
  const decoder = new FrameDecoder();
  let seq = 1;
  let bytes = 0;
  const next = () => (seq = seq >= 0xffff ? 1 : seq + 1);
  const pass = (m: Message) => {
    const frame = encodeFrame(m);
    bytes += frame.length;
    for (const _ of decoder.push(frame)) void _;
  };
  const samples = Array.from({ length: 50 }, (_, i) => ({ currentUa: 10_000 + i, voltageMv: 5_000 + i }));
  for (let s = 0; s < seconds; s++) {
    for (let f = 0; f < 20; f++) pass({ type: 'telemetry', seq: next(), channel: 0, firstSampleMs: s * 1000 + f * 50, sampleIntervalUs: 1000, samples });
    for (let h = 0; h < 10; h++) {
      const hb = next();
      pass({ type: 'heartbeat', seq: hb });
      pass({ type: 'ack', seq: next(), replyTo: hb, ackedType: 'heartbeat', echo: { kind: 'none' } } as Message);
    }
    const gs = next();
    pass({ type: 'getStatus', seq: gs });
    pass({
      type: 'status',
      seq: next(),
      replyTo: gs,
      fault: null,
      helloDone: true,
      uptimeMs: s * 1000,
      channels: [
        { channel: 0, state: 'holding', amplitudeUa: 10_000, targetUa: 10_000, elapsedMs: s * 1000 },
        { channel: 1, state: 'idle', amplitudeUa: 0, targetUa: 0, elapsedMs: 0 },
      ],
    });
    if (s % 100 === 0) await Promise.resolve();
  }
  return { bytes };
}

async function stackSession(hours: number, plan = defaultPlan(hours)): Promise<{ outcome: string }> {
  const rig = await headlessRig(1000);
  try {
    return { outcome: await runSession(rig, typeof plan === 'function' ? plan(rig) : plan) };
  } finally {
    rig.close();
  }
}

function defaultPlan(hours: number) {
  const preset = BUILTIN_PRESETS.find((p) => p.id === 'conventional-tens') ?? BUILTIN_PRESETS[0]!;
  return (rig: Awaited<ReturnType<typeof headlessRig>>) => {
    const p = planFromPreset(preset, { channel: 0, titrate: false, amplitudeUa: 10_000, context: rig.client.validationContext });
    return { ...p, program: { ...p.program, durationMs: hours * HOUR_MS } };
  };
}

test(`programme: ${SIM_HOURS} simulated hour(s) of a 1 kHz session on the whole headless stack, against the wire floor`, async () => {
  let floorMs = Number.POSITIVE_INFINITY;
  let stackMs = Number.POSITIVE_INFINITY;
  let bytes = 0;
  let outcome = '';
  for (let round = 0; round < 3; round++) {
    floorMs = Math.min(floorMs, await cpuMs(async () => void (bytes = (await wireFloor(SIM_HOURS * 3600)).bytes)));
    stackMs = Math.min(stackMs, await cpuMs(async () => void (outcome = (await stackSession(SIM_HOURS)).outcome)));
  }
  const simMs = SIM_HOURS * HOUR_MS;
  const floorX = simMs / floorMs;
  const stackX = simMs / stackMs;
  console.log(
    [
      `programme: ${SIM_HOURS} h at 1 kHz telemetry (outcome ${outcome}), CPU time, best of 3:`,
      `  wire floor (encode + decode of the same frames, ${(bytes / 1e6).toFixed(1)} MB): ${floorMs.toFixed(0)} ms = ${floorX.toFixed(0)}× real time`,
      `  whole stack:                                     ${stackMs.toFixed(0)} ms = ${stackX.toFixed(0)}× real time`,
      `  stack / floor: ${(stackMs / floorMs).toFixed(2)} (target ≤ 1.5); 20,000× real time needs ${(simMs / 20_000).toFixed(0)} ms per simulated hour, the wire alone takes ${floorMs.toFixed(0)} ms`,
      `  TELEMETRY is ${((20 * (12 + 8 * 50)) / ((bytes / (SIM_HOURS * 3600)) || 1) * 100).toFixed(0)} % of the bytes: 8 bytes per sample (int32 µA, int32 mV); 2-byte deltas would cut it about 4×`,
    ].join('\n'),
  );
  for (const id of ['pdn-4-week', 'wearable-day-night-60-day']) {
    const programme = BUILTIN_PROGRAMMES.find((p) => p.id === id)!;
    const days = programme.courseLengthDays * (programme.daysOfWeek.length / 7);
    const slots = programme.slots.filter((s) => s.intensity !== 'night').length;
    const presetId = programme.slots[0]!.presetId;
    const preset = BUILTIN_PRESETS.find((p) => p.id === presetId)!;
    const sessionMs = preset.program.durationMs;
    const stimHours = (days * slots * sessionMs) / HOUR_MS;
    console.log(`  ${programme.name}: ${days.toFixed(0)} days × ${slots} session(s) of ${(sessionMs / 60_000).toFixed(0)} min = ${stimHours.toFixed(0)} h of stimulation → ${((stimHours * HOUR_MS) / stackX / 1000 / 60).toFixed(1)} min at the stack's speed, ${((stimHours * HOUR_MS) / floorX / 1000 / 60).toFixed(1)} min at the floor`);
  }
}, 900_000);
