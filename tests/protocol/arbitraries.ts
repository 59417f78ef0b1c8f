/**
 * fast-check arbitraries for the wire protocol: every message type with values that fit their wire
 * fields, validation contexts (board caps, lab cap, electrode area), and programs that the validator
 * accepts, built from the effective limits rather than filtered, so every mode is covered evenly.
 */
import fc from 'fast-check';
import {
  ALL_CHANNELS,
  CHANNEL_STATES,
  FAULT_CODES,
  FIELD_IDS,
  MAX_RAMP_MS,
  MAX_SERIAL_BYTES,
  MAX_TELEMETRY_SAMPLES,
  MIN_DURATION_MS,
  MODES,
  NACK_CODES,
  TYPE_CODES,
  WAVEFORMS,
  amplitudeCeiling,
  effectiveLimits,
  minRampUpMs,
  type BoardCaps,
  type FaultCode,
  type FieldName,
  type LabCap,
  type Message,
  type MessageOf,
  type MessageType,
  type Mode,
  type NackCode,
  type Program,
  type ValidationContext,
} from '../../firmware-protocol/src/index.ts';

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const i32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
/** Host seq: 1..65535 (0 is reserved: replyTo 0 means "unsolicited"). */
export const hostSeq = fc.integer({ min: 1, max: 0xffff });
const channel = fc.integer({ min: 0, max: 0xfe });
const keysOf = <T extends Record<string, number>>(t: T) => Object.keys(t) as (keyof T & string)[];

export const messageTypes = keysOf(TYPE_CODES) as MessageType[];

// ---- programs ----------------------------------------------------------------------------------------

const mb = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Board caps as a real board would advertise them (all within sensible hardware ranges). */
export const capsArb: fc.Arbitrary<Partial<BoardCaps>> = fc.record(
  {
    channelCount: fc.integer({ min: 1, max: 8 }),
    maxAmplitudeUa: fc.integer({ min: 5_000, max: 120_000 }),
    maxPulseWidthUs: fc.integer({ min: 200, max: 1_000 }),
    minFrequencyDeciHz: fc.integer({ min: 1, max: 20 }),
    maxFrequencyDeciHz: fc.integer({ min: 1_000, max: 3_000 }),
    maxSlewUaPerS: fc.integer({ min: 1_000, max: 50_000 }),
    complianceMv: fc.integer({ min: 20_000, max: 150_000 }),
  },
  { requiredKeys: [] },
);

/** A lab's caps; the density setting may raise the IEC warning level (the one allowed raise). */
export const labCapArb: fc.Arbitrary<LabCap> = fc.record(
  {
    maxAmplitudeUa: fc.integer({ min: 5_000, max: 100_000 }),
    maxFrequencyDeciHz: fc.integer({ min: 100, max: 2_000 }),
    maxPulseWidthUs: fc.integer({ min: 150, max: 500 }),
    maxDurationMs: fc.integer({ min: 60_000, max: 24 * 3_600_000 }),
    maxCurrentDensityUaPerCm2: fc.integer({ min: 500, max: 12_000 }),
  },
  { requiredKeys: [] },
);

export const contextArb: fc.Arbitrary<ValidationContext> = fc
  .record({ caps: mb(capsArb), labCap: mb(labCapArb), electrodeAreaCm2: mb(fc.double({ min: 1, max: 100, noNaN: true })) })
  .map((c) => {
    const out: ValidationContext = {};
    if (c.caps !== undefined) out.caps = c.caps;
    if (c.labCap !== undefined) out.labCap = c.labCap;
    if (c.electrodeAreaCm2 !== undefined) out.electrodeAreaCm2 = c.electrodeAreaCm2;
    return out;
  });

const between = (min: number, max: number) => fc.integer({ min, max });

/**
 * A program the validator accepts in `mode` under `context`, or null when the context leaves no room
 * (e.g. a lab cap below the mode's minimum frequency). Every field is drawn from its effective range.
 */
export function programInMode(mode: Mode, context: ValidationContext = {}): fc.Arbitrary<Program | null> {
  const lim = effectiveLimits(mode, context);
  const f = lim.frequencyDeciHz;
  const pw = lim.pulseWidthUs;
  if (f.min.value > f.max.value || pw.min.value > pw.max.value || lim.channelMax.value < 0 || lim.durationMs.max.value < MIN_DURATION_MS) {
    return fc.constant(null);
  }
  const base = fc.record({
    channel: between(0, lim.channelMax.value),
    waveform: fc.constantFrom(...WAVEFORMS),
    pulseWidthUs: between(pw.min.value, pw.max.value),
  });
  const rates: fc.Arbitrary<Pick<Program, 'frequencyDeciHz' | 'burstPulses' | 'burstFrequencyDeciHz' | 'sweepHighDeciHz' | 'sweepPeriodMs'> | null> =
    mode === 'burst'
      ? fc.tuple(between(f.min.value, f.max.value), between(lim.burstPulses!.min.value, lim.burstPulses!.max.value)).chain(([frequencyDeciHz, burstPulses]) => {
          const bf = lim.burstFrequencyDeciHz!;
          // Train ≤ maxTrainMs: pulses · 10 000 ≤ maxTrainMs · rate(0.1 Hz).
          const lowest = Math.max(bf.min.value, Math.ceil((burstPulses * 10_000) / lim.burstMaxTrainMs!.value));
          if (lowest > bf.max.value) return fc.constant(null);
          return between(lowest, bf.max.value).map((burstFrequencyDeciHz) => ({ frequencyDeciHz, burstPulses, burstFrequencyDeciHz, sweepHighDeciHz: 0, sweepPeriodMs: 0 }));
        })
      : mode === 'modulated'
        ? f.min.value >= f.max.value
          ? fc.constant(null)
          : between(f.min.value, f.max.value - 1).chain((low) =>
              fc.record({
                frequencyDeciHz: fc.constant(low),
                sweepHighDeciHz: between(low + 1, f.max.value),
                sweepPeriodMs: between(lim.sweepPeriodMs!.min.value, lim.sweepPeriodMs!.max.value),
                burstPulses: fc.constant(0),
                burstFrequencyDeciHz: fc.constant(0),
              }),
            )
        : between(f.min.value, f.max.value).map((frequencyDeciHz) => ({ frequencyDeciHz, burstPulses: 0, burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0 }));

  return fc.tuple(base, rates).chain(([b, r]) => {
    if (r === null) return fc.constant(null);
    const shape: Program = { ...b, ...r, mode, amplitudeUa: 0, durationMs: 0, rampUpMs: 0, rampDownMs: 0 };
    const ceiling = amplitudeCeiling(shape, context).value;
    if (ceiling < 0) return fc.constant(null);
    return fc
      .oneof(between(0, ceiling), fc.constant(ceiling), fc.constant(0))
      .chain((amplitudeUa) => {
        const rampMin = minRampUpMs(amplitudeUa, lim.slewUaPerS.value);
        if (rampMin > MAX_RAMP_MS) return fc.constant(null);
        return fc.tuple(fc.oneof(between(rampMin, MAX_RAMP_MS), fc.constant(rampMin)), between(0, MAX_RAMP_MS)).chain(([rampUpMs, rampDownMs]) => {
          const durMin = Math.max(MIN_DURATION_MS, rampUpMs + rampDownMs);
          const durMax = lim.durationMs.max.value;
          if (durMin > durMax) return fc.constant(null);
          return fc
            .oneof(between(durMin, durMax), fc.constant(durMax), fc.constant(durMin))
            .map((durationMs): Program => ({ ...shape, amplitudeUa, rampUpMs, rampDownMs, durationMs }));
        });
      });
  });
}

/** A validator-accepted program in any mode, with no context. */
export const validProgramArb: fc.Arbitrary<Program> = fc
  .constantFrom(...MODES)
  .chain((mode) => programInMode(mode))
  .filter((p): p is Program => p !== null);

/** A context and a program the validator accepts under it (contexts that leave no room are skipped). */
export const programWithContextArb: fc.Arbitrary<{ program: Program; context: ValidationContext }> = fc
  .tuple(contextArb, fc.constantFrom(...MODES))
  .chain(([context, mode]) => programInMode(mode, context).map((program) => ({ program, context })))
  .filter((x): x is { program: Program; context: ValidationContext } => x.program !== null);

/** Any program whose fields fit their wire widths (what an ACK may echo; not necessarily valid). */
export const wireProgramArb: fc.Arbitrary<Program> = fc.record({
  channel,
  mode: fc.constantFrom(...MODES),
  waveform: fc.constantFrom(...WAVEFORMS),
  frequencyDeciHz: u16,
  pulseWidthUs: u16,
  amplitudeUa: u32,
  durationMs: u32,
  rampUpMs: u32,
  rampDownMs: u32,
  burstPulses: u8,
  burstFrequencyDeciHz: u16,
  sweepHighDeciHz: u16,
  sweepPeriodMs: u32,
});

// ---- messages ----------------------------------------------------------------------------------------

const printableAscii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: MAX_SERIAL_BYTES });

const arbs: { [T in MessageType]: fc.Arbitrary<MessageOf<T>> } = {
  hello: fc.record({ type: fc.constant('hello'), seq: hostSeq, minVersion: u8, maxVersion: u8 }),
  getInfo: fc.record({ type: fc.constant('getInfo'), seq: hostSeq }),
  setProgram: fc.record({ type: fc.constant('setProgram'), seq: hostSeq, program: validProgramArb }),
  start: fc.record({ type: fc.constant('start'), seq: hostSeq, channel }),
  stop: fc.record({ type: fc.constant('stop'), seq: hostSeq, channel: fc.oneof(channel, fc.constant(ALL_CHANNELS)) }),
  setAmplitude: fc.record({ type: fc.constant('setAmplitude'), seq: hostSeq, channel, amplitudeUa: u32 }),
  estop: fc.record({ type: fc.constant('estop'), seq: hostSeq }),
  clearFault: fc.record({ type: fc.constant('clearFault'), seq: hostSeq }),
  heartbeat: fc.record({ type: fc.constant('heartbeat'), seq: hostSeq }),
  measureImpedance: fc.record({ type: fc.constant('measureImpedance'), seq: hostSeq, channel }),
  getStatus: fc.record({ type: fc.constant('getStatus'), seq: hostSeq }),
  ack: fc.record({
    type: fc.constant('ack'),
    seq: u16,
    replyTo: u16,
    ackedType: fc.constantFrom(...messageTypes),
    echo: fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('program' as const), program: wireProgramArb }),
      fc.record({ kind: fc.constant('amplitude' as const), channel, amplitudeUa: u32 }),
    ),
  }),
  nack: fc.record({
    type: fc.constant('nack'),
    seq: u16,
    replyTo: u16,
    rejectedType: fc.constantFrom(...messageTypes),
    code: fc.constantFrom(...(keysOf(NACK_CODES) as NackCode[])),
    field: fc.constantFrom(...(keysOf(FIELD_IDS) as FieldName[])),
    value: u32,
    bound: u32,
  }),
  info: fc.record({
    type: fc.constant('info'),
    seq: u16,
    replyTo: u16,
    protocolVersion: u8,
    firmwareMajor: u8,
    firmwareMinor: u8,
    firmwarePatch: u8,
    watchdogMs: u16,
    telemetryRateHz: u16,
    caps: fc.record({
      channelCount: u8,
      maxAmplitudeUa: u32,
      maxPulseWidthUs: u16,
      minFrequencyDeciHz: u16,
      maxFrequencyDeciHz: u16,
      maxSlewUaPerS: u32,
      complianceMv: u32,
    }),
    serialNumber: printableAscii,
  }),
  status: fc.record({
    type: fc.constant('status'),
    seq: u16,
    replyTo: u16,
    uptimeMs: u32,
    fault: fc.option(fc.constantFrom(...(keysOf(FAULT_CODES) as FaultCode[])), { nil: null }),
    helloDone: fc.boolean(),
    channels: fc.array(
      fc.record({ channel, state: fc.constantFrom(...CHANNEL_STATES), amplitudeUa: u32, targetUa: u32, elapsedMs: u32 }),
      { maxLength: 8 },
    ),
  }),
  telemetry: fc.record({
    type: fc.constant('telemetry'),
    seq: u16,
    channel,
    firstSampleMs: u32,
    sampleIntervalUs: u16,
    samples: fc.array(fc.record({ currentUa: i32, voltageMv: i32 }), { maxLength: MAX_TELEMETRY_SAMPLES }),
  }),
  fault: fc.record({
    type: fc.constant('fault'),
    seq: u16,
    code: fc.constantFrom(...(keysOf(FAULT_CODES) as FaultCode[])),
    channel: fc.oneof(channel, fc.constant(ALL_CHANNELS)),
    detail: u32,
  }),
  impedance: fc.record({ type: fc.constant('impedance'), seq: u16, replyTo: u16, channel, impedanceOhm: u32, ok: fc.boolean() }),
};

export function messageArb<T extends MessageType>(type: T): fc.Arbitrary<MessageOf<T>> {
  return arbs[type] as unknown as fc.Arbitrary<MessageOf<T>>;
}

/** Any valid message of any type. */
export const anyMessageArb: fc.Arbitrary<Message> = fc.oneof(...messageTypes.map((t) => messageArb(t) as fc.Arbitrary<Message>));

/** Split `bytes` at arbitrary points: every element of the result is a non-empty chunk. */
export function chunkingArb(length: number): fc.Arbitrary<number[]> {
  return fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: Math.min(length, 40) }).map((cuts) => cuts.sort((a, b) => a - b));
}

export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of cuts) {
    if (c > prev && c < bytes.length) {
      out.push(bytes.subarray(prev, c));
      prev = c;
    }
  }
  out.push(bytes.subarray(prev));
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
