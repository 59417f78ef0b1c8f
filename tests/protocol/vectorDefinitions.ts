/**
 * What the golden vectors contain. The committed JSON in firmware-protocol/vectors/ is the source of
 * truth; these definitions only (re)generate it (vectors.generate.test.ts), so a change here that alters
 * the bytes shows up as a diff to review, never silently.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  FrameDecoder,
  cobsDecode,
  cobsEncode,
  crc32c,
  encodeFrame,
  validateProgram,
  type DropCounters,
  type LimitSource,
  type Message,
  type Program,
  type ProgramField,
  type ValidationContext,
  type Violation,
} from '../../firmware-protocol/src/index.ts';

export interface MessageVector {
  name: string;
  description: string;
  hex: string;
  message: Message;
}
export interface MalformedVector {
  name: string;
  description: string;
  chunksHex: string[];
  expectMessages: Message[];
  expectDrops: DropCounters;
}
export interface InvalidProgramVector {
  name: string;
  description: string;
  program: Program | Record<string, unknown>;
  context: ValidationContext;
  expectViolations: { field: ProgramField; source: LimitSource; kind: Violation['kind']; bound: number | string }[];
  /** The 32-byte PROGRAM body as a board would receive it (absent when a value cannot be encoded at all). */
  programHex?: string;
  /**
   * What a board must do with it: it knows the mode table and its own caps (context.caps), not the lab
   * cap or the electrode area. `fields` lists the fields its NACK may name (any one of them).
   */
  board: { refuses: boolean; fields: ProgramField[] };
}

export const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
export const fromHex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (x) => parseInt(x, 16));
const zeroDrops = (): DropCounters => ({ crc: 0, cobs: 0, length: 0, unknownType: 0, version: 0, malformed: 0 });

// ---- valid programs, one per mode ------------------------------------------------------------------------

export const PROGRAMS: Record<string, Program> = {
  conventional: {
    channel: 0, mode: 'conventional', waveform: 'symmetric-biphasic', frequencyDeciHz: 1000, pulseWidthUs: 200,
    amplitudeUa: 20_000, durationMs: 1_800_000, rampUpMs: 5_000, rampDownMs: 3_000, burstPulses: 0,
    burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0,
  },
  'acupuncture-like': {
    channel: 1, mode: 'acupuncture-like', waveform: 'asymmetric-biphasic', frequencyDeciHz: 20, pulseWidthUs: 250,
    amplitudeUa: 40_000, durationMs: 1_800_000, rampUpMs: 8_000, rampDownMs: 4_000, burstPulses: 0,
    burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0,
  },
  burst: {
    channel: 0, mode: 'burst', waveform: 'symmetric-biphasic', frequencyDeciHz: 20, pulseWidthUs: 200,
    amplitudeUa: 30_000, durationMs: 1_800_000, rampUpMs: 6_000, rampDownMs: 3_000, burstPulses: 7,
    burstFrequencyDeciHz: 1000, sweepHighDeciHz: 0, sweepPeriodMs: 0,
  },
  'brief-intense': {
    channel: 1, mode: 'brief-intense', waveform: 'symmetric-biphasic', frequencyDeciHz: 1000, pulseWidthUs: 250,
    amplitudeUa: 50_000, durationMs: 900_000, rampUpMs: 10_000, rampDownMs: 5_000, burstPulses: 0,
    burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0,
  },
  modulated: {
    channel: 0, mode: 'modulated', waveform: 'asymmetric-biphasic', frequencyDeciHz: 20, pulseWidthUs: 200,
    amplitudeUa: 25_000, durationMs: 2_700_000, rampUpMs: 5_000, rampDownMs: 5_000, burstPulses: 0,
    burstFrequencyDeciHz: 0, sweepHighDeciHz: 1000, sweepPeriodMs: 10_000,
  },
  'low-frequency': {
    // 20 Hz for 1 h: brief electrical stimulation for nerve regeneration (Gordon & English 2016).
    channel: 0, mode: 'low-frequency', waveform: 'symmetric-biphasic', frequencyDeciHz: 200, pulseWidthUs: 100,
    amplitudeUa: 10_000, durationMs: 3_600_000, rampUpMs: 2_000, rampDownMs: 2_000, burstPulses: 0,
    burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0,
  },
};

const CAPS = { channelCount: 2, maxAmplitudeUa: 80_000, maxPulseWidthUs: 400, minFrequencyDeciHz: 10, maxFrequencyDeciHz: 1500, maxSlewUaPerS: 10_000, complianceMv: 80_000 };

// ---- messages.json -----------------------------------------------------------------------------------------

const MESSAGES: { name: string; description: string; message: Message }[] = [
  { name: 'hello-v1', description: 'HELLO: the host speaks exactly version 1. Always sent with header version 1.', message: { type: 'hello', seq: 1, minVersion: 1, maxVersion: 1 } },
  { name: 'hello-range', description: 'HELLO: the host speaks versions 1 to 3; the board picks the highest it shares.', message: { type: 'hello', seq: 1, minVersion: 1, maxVersion: 3 } },
  { name: 'getInfo', description: 'GET_INFO (empty body).', message: { type: 'getInfo', seq: 2 } },
  ...Object.entries(PROGRAMS).map(([mode, program], i) => ({
    name: `setProgram-${mode}`,
    description: `SET_PROGRAM, ${mode} mode (${program.waveform}): ${program.frequencyDeciHz / 10} Hz, ${program.pulseWidthUs} µs, ${program.amplitudeUa / 1000} mA, ${program.durationMs / 60_000} min.`,
    message: { type: 'setProgram', seq: 10 + i, program } as Message,
  })),
  { name: 'start', description: 'START channel 1.', message: { type: 'start', seq: 20, channel: 1 } },
  { name: 'stop', description: 'STOP channel 0 (ramped over the program’s rampDownMs).', message: { type: 'stop', seq: 21, channel: 0 } },
  { name: 'stop-all', description: 'STOP every channel (channel 0xFF).', message: { type: 'stop', seq: 22, channel: 0xff } },
  { name: 'setAmplitude', description: 'SET_AMPLITUDE channel 0 to 18.5 mA.', message: { type: 'setAmplitude', seq: 23, channel: 0, amplitudeUa: 18_500 } },
  { name: 'estop', description: 'ESTOP (empty body): all output to 0 at once, fault latched.', message: { type: 'estop', seq: 24 } },
  { name: 'clearFault', description: 'CLEAR_FAULT (empty body).', message: { type: 'clearFault', seq: 25 } },
  { name: 'heartbeat', description: 'HEARTBEAT (empty body), every 100 ms.', message: { type: 'heartbeat', seq: 26 } },
  { name: 'heartbeat-seq-max', description: 'HEARTBEAT with the highest seq, 65535 (the next host seq wraps to 1, never 0).', message: { type: 'heartbeat', seq: 65_535 } },
  { name: 'measureImpedance', description: 'MEASURE_IMPEDANCE on channel 1.', message: { type: 'measureImpedance', seq: 27, channel: 1 } },
  { name: 'getStatus', description: 'GET_STATUS (empty body).', message: { type: 'getStatus', seq: 28 } },
  { name: 'ack-start', description: 'ACK of START seq 20, no echo.', message: { type: 'ack', seq: 101, replyTo: 20, ackedType: 'start', echo: { kind: 'none' } } },
  { name: 'ack-heartbeat', description: 'ACK of HEARTBEAT seq 26 (the host’s proof the board is alive).', message: { type: 'ack', seq: 102, replyTo: 26, ackedType: 'heartbeat', echo: { kind: 'none' } } },
  { name: 'ack-estop', description: 'ACK of ESTOP seq 24.', message: { type: 'ack', seq: 103, replyTo: 24, ackedType: 'estop', echo: { kind: 'none' } } },
  { name: 'ack-setProgram-echo', description: 'ACK of SET_PROGRAM seq 10 echoing the program as stored.', message: { type: 'ack', seq: 104, replyTo: 10, ackedType: 'setProgram', echo: { kind: 'program', program: PROGRAMS.conventional! } } },
  { name: 'ack-setAmplitude-echo', description: 'ACK of SET_AMPLITUDE seq 23 echoing the new target.', message: { type: 'ack', seq: 105, replyTo: 23, ackedType: 'setAmplitude', echo: { kind: 'amplitude', channel: 0, amplitudeUa: 18_500 } } },
  { name: 'nack-chargePerPhase', description: 'NACK of SET_PROGRAM seq 12: 70 mA at 400 µs is 28 µC per phase; the most at that width is 62 500 µA (25 µC).', message: { type: 'nack', seq: 109, replyTo: 12, rejectedType: 'setProgram', code: 'chargePerPhase', field: 'amplitudeUa', value: 70_000, bound: 62_500 } },
  { name: 'nack-outOfRange', description: 'NACK of SET_PROGRAM seq 11: amplitudeUa 90 000 above the bound 80 000.', message: { type: 'nack', seq: 106, replyTo: 11, rejectedType: 'setProgram', code: 'outOfRange', field: 'amplitudeUa', value: 90_000, bound: 80_000 } },
  { name: 'nack-helloRequired', description: 'NACK of HEARTBEAT seq 1 sent before HELLO.', message: { type: 'nack', seq: 107, replyTo: 1, rejectedType: 'heartbeat', code: 'helloRequired', field: 'none', value: 0, bound: 0 } },
  { name: 'nack-unsupportedVersion', description: 'NACK of HELLO seq 1: host max version 1, board speaks at most 2 (and at least 2).', message: { type: 'nack', seq: 108, replyTo: 1, rejectedType: 'hello', code: 'unsupportedVersion', field: 'version', value: 1, bound: 2 } },
  { name: 'info', description: 'INFO answering HELLO seq 1: protocol 1, firmware 1.0.0, 2 channels, the simulated board’s default caps, watchdog 500 ms, 1 kHz telemetry.', message: { type: 'info', seq: 100, replyTo: 1, protocolVersion: 1, firmwareMajor: 1, firmwareMinor: 0, firmwarePatch: 0, watchdogMs: 500, telemetryRateHz: 1000, caps: CAPS, serialNumber: 'SIM-0001' } },
  { name: 'info-no-serial', description: 'INFO with an empty serial number and one channel.', message: { type: 'info', seq: 9, replyTo: 4, protocolVersion: 1, firmwareMajor: 2, firmwareMinor: 1, firmwarePatch: 7, watchdogMs: 250, telemetryRateHz: 0, caps: { ...CAPS, channelCount: 1 }, serialNumber: '' } },
  { name: 'status-0-channels', description: 'Unsolicited STATUS (replyTo 0) right after a reset: fault reset latched, no HELLO yet, no channel entries.', message: { type: 'status', seq: 1, replyTo: 0, uptimeMs: 12, fault: 'reset', helloDone: false, channels: [] } },
  {
    name: 'status-2-channels',
    description: 'STATUS answering GET_STATUS seq 28: no fault; channel 0 holding 20 mA, channel 1 idle.',
    message: {
      type: 'status', seq: 110, replyTo: 28, uptimeMs: 73_250, fault: null, helloDone: true,
      channels: [
        { channel: 0, state: 'holding', amplitudeUa: 20_000, targetUa: 20_000, elapsedMs: 61_000 },
        { channel: 1, state: 'idle', amplitudeUa: 0, targetUa: 0, elapsedMs: 0 },
      ],
    },
  },
  {
    name: 'status-ramping-up',
    description: 'Unsolicited STATUS on a state change: channel 1 started and is ramping up towards 40 mA (at 4 mA now).',
    message: {
      type: 'status', seq: 112, replyTo: 0, uptimeMs: 75_400, fault: null, helloDone: true,
      channels: [
        { channel: 0, state: 'holding', amplitudeUa: 20_000, targetUa: 20_000, elapsedMs: 63_150 },
        { channel: 1, state: 'ramping-up', amplitudeUa: 4_000, targetUa: 40_000, elapsedMs: 800 },
      ],
    },
  },
  {
    name: 'status-ramping-watchdog',
    description: 'Unsolicited STATUS: watchdog fault latched, channel 0 forced idle; channel 1 ramping down from 12 mA.',
    message: {
      type: 'status', seq: 111, replyTo: 0, uptimeMs: 90_000, fault: 'watchdog', helloDone: true,
      channels: [
        { channel: 0, state: 'idle', amplitudeUa: 0, targetUa: 0, elapsedMs: 0 },
        { channel: 1, state: 'ramping-down', amplitudeUa: 12_000, targetUa: 0, elapsedMs: 30_500 },
      ],
    },
  },
  {
    name: 'telemetry-4-samples',
    description: 'TELEMETRY channel 0: 4 samples at 1 ms from uptime 73 200 ms; electrode voltage negative on the second phase samples.',
    message: {
      type: 'telemetry', seq: 120, channel: 0, firstSampleMs: 73_200, sampleIntervalUs: 1000,
      samples: [
        { currentUa: 20_000, voltageMv: 6_400 },
        { currentUa: 19_980, voltageMv: -6_390 },
        { currentUa: 0, voltageMv: 0 },
        { currentUa: -20_000, voltageMv: -6_412 },
      ],
    },
  },
  { name: 'telemetry-empty', description: 'TELEMETRY with no samples (allowed; a board may send it as the last batch).', message: { type: 'telemetry', seq: 121, channel: 1, firstSampleMs: 5, sampleIntervalUs: 1000, samples: [] } },
  {
    name: 'telemetry-long-run',
    description: 'TELEMETRY of 40 samples with no zero byte in them: the decoded frame has runs of more than 254 non-zero bytes, so its COBS encoding uses 0xFF blocks.',
    message: {
      type: 'telemetry', seq: 0x0101, channel: 1, firstSampleMs: 0x01020304, sampleIntervalUs: 0x0101,
      samples: Array.from({ length: 40 }, (_, i) => ({ currentUa: -0x01010101 - i, voltageMv: 0x11223344 + i })),
    },
  },
  { name: 'fault-estop', description: 'FAULT estop, all channels (0xFF), no detail.', message: { type: 'fault', seq: 130, code: 'estop', channel: 0xff, detail: 0 } },
  { name: 'fault-watchdog', description: 'FAULT watchdog: no valid frame for 500 ms (detail = the watchdog period, ms).', message: { type: 'fault', seq: 131, code: 'watchdog', channel: 0xff, detail: 500 } },
  { name: 'fault-electrodeOff', description: 'FAULT electrodeOff on channel 1; detail = measured impedance, 1.2 MΩ.', message: { type: 'fault', seq: 132, code: 'electrodeOff', channel: 1, detail: 1_200_000 } },
  { name: 'fault-reset', description: 'FAULT reset: the board restarted (brown-out); programs and HELLO are lost.', message: { type: 'fault', seq: 1, code: 'reset', channel: 0xff, detail: 0 } },
  { name: 'impedance-ok', description: 'IMPEDANCE answering MEASURE_IMPEDANCE seq 27: 1 180 Ω, good contact.', message: { type: 'impedance', seq: 140, replyTo: 27, channel: 1, impedanceOhm: 1_180, ok: true } },
  { name: 'impedance-fail', description: 'IMPEDANCE: 2.5 MΩ, electrode off; START would be NACKed impedanceFail.', message: { type: 'impedance', seq: 141, replyTo: 27, channel: 1, impedanceOhm: 2_500_000, ok: false } },
];

export function buildMessageVectors(): MessageVector[] {
  return MESSAGES.map(({ name, description, message }) => ({ name, description, hex: toHex(encodeFrame(message)), message }));
}

// ---- malformed.json ----------------------------------------------------------------------------------------

/** A frame built by hand (any version/type/body), with a correct CRC unless `crcXor` is given. */
function handFrame(version: number, typeCode: number, seq: number, body: number[], crcXor = 0): Uint8Array {
  const raw = new Uint8Array(8 + body.length);
  const v = new DataView(raw.buffer);
  raw[0] = version;
  raw[1] = typeCode;
  v.setUint16(2, seq, true);
  raw.set(body, 4);
  v.setUint32(4 + body.length, (crc32c(raw, 0, 4 + body.length) ^ crcXor) >>> 0, true);
  const enc = cobsEncode(raw);
  const out = new Uint8Array(enc.length + 1);
  out.set(enc);
  return out;
}
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const bytes = (...b: number[]) => Uint8Array.from(b);
const fill = (n: number, b: number) => new Uint8Array(n).fill(b);
function chunked(stream: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += size) out.push(stream.subarray(i, i + size));
  return out;
}

const hb: Message = { type: 'heartbeat', seq: 26 };
const start: Message = { type: 'start', seq: 20, channel: 1 };
const setProg: Message = { type: 'setProgram', seq: 10, program: PROGRAMS.conventional! };
const tel = MESSAGES.find((m) => m.name === 'telemetry-4-samples')!.message;

/** A prefix of `wire` (cut inside its COBS data) whose decode fails as `want`. */
function cutWhere(wire: Uint8Array, want: 'cobs' | 'crc' | 'length'): Uint8Array {
  for (let cut = Math.floor(wire.length / 2); cut < wire.length - 1; cut++) {
    const d = new FrameDecoder();
    d.push(cat(wire.subarray(0, cut), bytes(0)));
    if (d.drops[want] === 1) return wire.subarray(0, cut);
  }
  throw new Error(`no cut of ${toHex(wire)} fails as ${want}`);
}

interface MalformedDef {
  name: string;
  description: string;
  chunks: Uint8Array[];
  expectMessages: Message[];
  expectDrops: Partial<DropCounters>;
}

const MALFORMED: () => MalformedDef[] = () => [
  { name: 'bad-crc', description: 'A HEARTBEAT whose CRC does not match (one bit off): dropped as crc.', chunks: [handFrame(1, 0x09, 26, [], 0x00000001)], expectMessages: [], expectDrops: { crc: 1 } },
  {
    name: 'bad-crc-then-valid',
    description: 'A START with a corrupted body byte (CRC no longer matches), then a valid HEARTBEAT: the first is dropped, the second decodes.',
    chunks: [(() => { const f = encodeFrame(start).slice(); f[5] = f[5]! ^ 0x04; return f; })(), encodeFrame(hb)],
    expectMessages: [hb],
    expectDrops: { crc: 1 },
  },
  {
    name: 'truncated-mid-block',
    description: 'A SET_PROGRAM cut off inside a COBS block, then the delimiter, then a valid START: the code byte points past the delimiter (cobs).',
    chunks: [cutWhere(encodeFrame(setProg), 'cobs'), bytes(0), encodeFrame(start)],
    expectMessages: [start],
    expectDrops: { cobs: 1 },
  },
  {
    name: 'truncated-at-block-boundary',
    description: 'A SET_PROGRAM cut off at a COBS block boundary: valid COBS, but the CRC (taken from the wrong bytes) fails.',
    chunks: [cutWhere(encodeFrame(setProg), 'crc'), bytes(0), encodeFrame(start)],
    expectMessages: [start],
    expectDrops: { crc: 1 },
  },
  {
    name: 'truncated-short',
    description: 'The first 4 bytes of a HEARTBEAT frame and a delimiter: it decodes to fewer than 8 bytes (length).',
    chunks: [encodeFrame(hb).subarray(0, 4), bytes(0), encodeFrame(hb)],
    expectMessages: [hb],
    expectDrops: { length: 1 },
  },
  {
    name: 'over-long-encoded',
    description: '1100 non-zero bytes before the delimiter: more than the 1029 encoded bytes a 1024-byte frame can need. Dropped as length as soon as the limit passes; decoding resumes after the next 00.',
    chunks: [fill(600, 0x42), fill(500, 0x42), bytes(0), encodeFrame(start)],
    expectMessages: [start],
    expectDrops: { length: 1 },
  },
  {
    name: 'over-long-decoded',
    description: '1029 bytes of 01 are valid COBS for 1028 zero bytes: more than the 1024-byte maximum decoded frame (length, not cobs).',
    chunks: [fill(1029, 0x01), bytes(0), encodeFrame(start)],
    expectMessages: [start],
    expectDrops: { length: 1 },
  },
  {
    name: 'garbage-between-frames',
    description: 'START, then line noise ending in a delimiter, then HEARTBEAT: both frames decode; the noise counts as one cobs drop (its first byte, 0xDE, points past the delimiter).',
    chunks: [encodeFrame(start), bytes(0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x00), encodeFrame(hb)],
    expectMessages: [start, hb],
    expectDrops: { cobs: 1 },
  },
  {
    name: 'garbage-glued-to-frame',
    description: 'Noise with no delimiter straight before a START: noise and frame merge into one bad frame (lost, crc), and the receiver resynchronises at its delimiter; the next HEARTBEAT decodes.',
    chunks: [bytes(0x03, 0x55, 0x55), encodeFrame(start), encodeFrame(hb)],
    expectMessages: [hb],
    expectDrops: { crc: 1 },
  },
  {
    name: 'joined-mid-stream',
    description: 'The receiver starts listening in the middle of a TELEMETRY frame: the tail it sees is dropped (here a data byte read as a code byte points past the delimiter: cobs), the next frame decodes.',
    chunks: [encodeFrame(tel).subarray(9), encodeFrame(start)],
    expectMessages: [start],
    expectDrops: { cobs: 1 },
  },
  { name: 'split-1-byte-chunks', description: 'A TELEMETRY frame delivered one byte per chunk.', chunks: chunked(encodeFrame(tel), 1), expectMessages: [tel], expectDrops: {} },
  {
    name: 'split-across-chunks',
    description: 'SET_PROGRAM, START and HEARTBEAT in 5-byte chunks: frame boundaries fall inside chunks.',
    chunks: chunked(cat(encodeFrame(setProg), encodeFrame(start), encodeFrame(hb)), 5),
    expectMessages: [setProg, start, hb],
    expectDrops: {},
  },
  {
    name: 'split-delimiter-alone',
    description: 'A START whose delimiter arrives in a chunk of its own: nothing is delivered until the 00 arrives.',
    chunks: [encodeFrame(start).subarray(0, -1), bytes(0)],
    expectMessages: [start],
    expectDrops: {},
  },
  { name: 'unknown-type', description: 'A frame with type code 0x7F (not in the table) and a correct CRC: unknownType.', chunks: [handFrame(1, 0x7f, 5, []), encodeFrame(hb)], expectMessages: [hb], expectDrops: { unknownType: 1 } },
  { name: 'unknown-type-board-range', description: 'Type code 0x88 (the next unassigned board → host code): unknownType.', chunks: [handFrame(1, 0x88, 5, [1, 2, 3])], expectMessages: [], expectDrops: { unknownType: 1 } },
  { name: 'unsupported-version', description: 'A HEARTBEAT with header version 2 (a v1 receiver): version.', chunks: [handFrame(2, 0x09, 26, []), encodeFrame(hb)], expectMessages: [hb], expectDrops: { version: 1 } },
  { name: 'version-zero', description: 'Header version 0 (never valid): version.', chunks: [handFrame(0, 0x09, 26, [])], expectMessages: [], expectDrops: { version: 1 } },
  {
    name: 'bad-body-length',
    description: 'START without its channel byte, HEARTBEAT with a 1-byte body, SET_PROGRAM with 31 of its 32 bytes: each malformed.',
    chunks: [handFrame(1, 0x04, 20, []), handFrame(1, 0x09, 26, [0]), handFrame(1, 0x03, 10, Array.from({ length: 31 }, () => 1))],
    expectMessages: [],
    expectDrops: { malformed: 3 },
  },
  {
    name: 'bad-enum',
    description: 'Unknown enum codes, each malformed: SET_PROGRAM mode 6, waveform 2; STATUS channel state 4, helloDone 2, fault 99; NACK code 0; FAULT code 0; ACK echo kind 3; IMPEDANCE ok 2; INFO serial with a control character.',
    chunks: [
      handFrame(1, 0x03, 10, [0, 6, 0, 0, ...Array.from({ length: 28 }, () => 0)]),
      handFrame(1, 0x03, 10, [0, 0, 2, 0, ...Array.from({ length: 28 }, () => 0)]),
      handFrame(1, 0x84, 5, [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 4, ...Array.from({ length: 12 }, () => 0)]),
      handFrame(1, 0x84, 5, [0, 0, 0, 0, 0, 0, 0, 2, 0]),
      handFrame(1, 0x84, 5, [0, 0, 0, 0, 0, 0, 99, 1, 0]),
      handFrame(1, 0x82, 5, [1, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      handFrame(1, 0x86, 5, [0, 0, 0, 0, 0, 0]),
      handFrame(1, 0x81, 5, [1, 0, 0x04, 3]),
      handFrame(1, 0x87, 5, [1, 0, 1, 2, 0, 0, 0, 0]),
      handFrame(1, 0x83, 5, [1, 0, 1, 1, 0, 0, 2, 0xf4, 1, 0xe8, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x07]),
    ],
    expectMessages: [],
    expectDrops: { malformed: 10 },
  },
  { name: 'invalid-cobs', description: '05 11 22 00: the code byte promises 4 data bytes, the delimiter comes after 2 (cobs).', chunks: [bytes(0x05, 0x11, 0x22, 0x00), encodeFrame(hb)], expectMessages: [hb], expectDrops: { cobs: 1 } },
  { name: 'empty-frames', description: 'Runs of delimiters (00 00 …) around a valid frame are empty frames: ignored, not counted.', chunks: [bytes(0, 0, 0), encodeFrame(start), bytes(0, 0)], expectMessages: [start], expectDrops: {} },
  { name: 'empty-cobs-frame', description: '01 00 is valid COBS for zero bytes: too short for a header (length).', chunks: [bytes(0x01, 0x00)], expectMessages: [], expectDrops: { length: 1 } },
  { name: 'no-delimiter-yet', description: 'A complete HEARTBEAT without its trailing 00: nothing is delivered and nothing is dropped (yet).', chunks: [encodeFrame(hb).subarray(0, -1)], expectMessages: [], expectDrops: {} },
];

export function buildMalformedVectors(): MalformedVector[] {
  return MALFORMED().map((d) => {
    const expectDrops = { ...zeroDrops(), ...d.expectDrops };
    // The definitions state the expectation by hand; the real decoder must agree before it is written.
    const decoder = new FrameDecoder();
    const got = d.chunks.flatMap((c) => decoder.push(c));
    if (!isDeepStrictEqual(got, d.expectMessages) || !isDeepStrictEqual({ ...decoder.drops }, expectDrops)) {
      throw new Error(`malformed vector ${d.name}: decoder gave ${JSON.stringify(got)} ${JSON.stringify(decoder.drops)}`);
    }
    return { name: d.name, description: d.description, chunksHex: d.chunks.map(toHex), expectMessages: d.expectMessages, expectDrops };
  });
}

// ---- programs-invalid.json ---------------------------------------------------------------------------------

type V = InvalidProgramVector['expectViolations'][number];
interface InvalidDef {
  name: string;
  description: string;
  /** Deliberately loose: these programs hold values no valid Program has (unknown modes, fractions). */
  program: Program | Record<string, unknown>;
  context?: ValidationContext;
  expect: V[];
}
const conv = PROGRAMS.conventional!;
const v = (field: ProgramField, source: LimitSource, kind: V['kind'], bound: number | string): V => ({ field, source, kind, bound });

const INVALID: InvalidDef[] = [
  { name: 'frequency-above-mode', description: 'Conventional at 151 Hz (table: 50–150 Hz).', program: { ...conv, frequencyDeciHz: 1510 }, expect: [v('frequencyDeciHz', 'mode-table', 'max', 1500)] },
  { name: 'frequency-below-mode', description: 'Conventional at 49.9 Hz.', program: { ...conv, frequencyDeciHz: 499 }, expect: [v('frequencyDeciHz', 'mode-table', 'min', 500)] },
  { name: 'pulse-width-above-mode', description: 'Acupuncture-like at 401 µs (table: 100–400 µs).', program: { ...PROGRAMS['acupuncture-like'], pulseWidthUs: 401 }, expect: [v('pulseWidthUs', 'mode-table', 'max', 400)] },
  { name: 'pulse-width-below-mode', description: 'Brief-intense at 149 µs (table: 150–300 µs).', program: { ...PROGRAMS['brief-intense'], pulseWidthUs: 149 }, expect: [v('pulseWidthUs', 'mode-table', 'min', 150)] },
  { name: 'amplitude-above-mode', description: 'Low-frequency at 50.001 mA (table: ≤ 50 mA), ramp long enough for the slew limit.', program: { ...PROGRAMS['low-frequency'], amplitudeUa: 50_001, rampUpMs: 6_000 }, expect: [v('amplitudeUa', 'mode-table', 'max', 50_000)] },
  { name: 'duration-above-mode', description: 'Brief-intense for 15 min + 1 ms (table: ≤ 15 min).', program: { ...PROGRAMS['brief-intense'], durationMs: 900_001 }, expect: [v('durationMs', 'mode-table', 'max', 900_000)] },
  { name: 'duration-too-short', description: 'A program shorter than 1 s (and its ramps no longer fit).', program: { ...conv, durationMs: 999, rampUpMs: 2_000, rampDownMs: 0 }, expect: [v('durationMs', 'protocol', 'min', 1_000), v('durationMs', 'protocol', 'order', 2_000)] },
  { name: 'ramp-too-fast', description: '20 mA reached in 1.999 s: faster than 10 mA/s.', program: { ...conv, rampUpMs: 1_999 }, expect: [v('rampUpMs', 'slew-rate', 'min', 2_000)] },
  { name: 'ramp-too-fast-for-board', description: 'A board advertising 5 mA/s needs 4 s to reach 20 mA.', program: { ...conv, rampUpMs: 3_999 }, context: { caps: { maxSlewUaPerS: 5_000 } }, expect: [v('rampUpMs', 'board-caps', 'min', 4_000)] },
  { name: 'ramp-longer-than-5-min', description: 'Ramp-down of 5 min + 1 ms.', program: { ...conv, rampDownMs: 300_001 }, expect: [v('rampDownMs', 'protocol', 'max', 300_000)] },
  { name: 'ramps-exceed-duration', description: 'Ramps of 3 s + 3 s in a 5 s program.', program: { ...conv, durationMs: 5_000, rampUpMs: 3_000, rampDownMs: 3_000 }, expect: [v('durationMs', 'protocol', 'order', 6_000)] },
  { name: 'board-amplitude-cap', description: 'A board whose output stage tops out at 15 mA.', program: conv, context: { caps: { maxAmplitudeUa: 15_000 } }, expect: [v('amplitudeUa', 'board-caps', 'max', 15_000)] },
  { name: 'board-channel-count', description: 'Channel 1 on a 1-channel board.', program: { ...conv, channel: 1 }, context: { caps: { channelCount: 1 } }, expect: [v('channel', 'board-caps', 'max', 0)] },
  { name: 'board-frequency-cap', description: 'A board limited to 80 Hz.', program: conv, context: { caps: { maxFrequencyDeciHz: 800 } }, expect: [v('frequencyDeciHz', 'board-caps', 'max', 800)] },
  { name: 'lab-amplitude-cap', description: 'A lab cap of 15 mA (the board would accept it: it does not know the lab cap).', program: conv, context: { labCap: { maxAmplitudeUa: 15_000 } }, expect: [v('amplitudeUa', 'lab-cap', 'max', 15_000)] },
  { name: 'lab-duration-cap', description: 'A lab cap of 20 min on a 30 min program.', program: conv, context: { labCap: { maxDurationMs: 1_200_000 } }, expect: [v('durationMs', 'lab-cap', 'max', 1_200_000)] },
  { name: 'current-density', description: 'Brief-intense 150 Hz, 300 µs, 40 mA over 5 cm²: 12 mA r.m.s. = 2.4 mA/cm² > 2 mA/cm² (the most is 33 333 µA).', program: { ...PROGRAMS['brief-intense'], frequencyDeciHz: 1500, pulseWidthUs: 300, amplitudeUa: 40_000 }, context: { electrodeAreaCm2: 5 }, expect: [v('amplitudeUa', 'current-density', 'max', 33_333)] },
  { name: 'current-density-lab-override', description: 'The same over 2 cm² with a lab density setting of 5 mA/cm²: the lab setting binds (the most is 33 333 µA).', program: { ...PROGRAMS['brief-intense'], frequencyDeciHz: 1500, pulseWidthUs: 300, amplitudeUa: 40_000 }, context: { electrodeAreaCm2: 2, labCap: { maxCurrentDensityUaPerCm2: 5_000 } }, expect: [v('amplitudeUa', 'lab-cap', 'max', 33_333)] },
  { name: 'rms-current', description: '200 mA at 150 Hz, 250 µs: above the conventional table, above 25 µC per phase (most 100 000 µA) and above 50 mA r.m.s. (most 182 574 µA); all three are reported.', program: { ...conv, frequencyDeciHz: 1500, pulseWidthUs: 250, amplitudeUa: 200_000, rampUpMs: 20_000 }, expect: [v('amplitudeUa', 'mode-table', 'max', 60_000), v('amplitudeUa', 'charge-per-phase', 'max', 100_000), v('amplitudeUa', 'rms-current', 'max', 182_574)] },
  { name: 'charge-per-phase', description: 'Acupuncture-like at 70 mA and 400 µs: 28 µC per phase, above the 25 µC cap (at 400 µs the most is 62 500 µA); inside the mode table otherwise, so a board refuses it with NACK chargePerPhase.', program: { ...PROGRAMS['acupuncture-like'], pulseWidthUs: 400, amplitudeUa: 70_000, rampUpMs: 7_000 }, expect: [v('amplitudeUa', 'charge-per-phase', 'max', 62_500)] },
  { name: 'burst-train-too-long', description: '10 pulses at 50 Hz make a 200 ms train (> 100 ms); at 50 Hz at most 5 pulses fit.', program: { ...PROGRAMS.burst, burstPulses: 10, burstFrequencyDeciHz: 500 }, expect: [v('burstPulses', 'mode-table', 'max', 5)] },
  { name: 'burst-pulses-out-of-range', description: 'A burst of 1 pulse (table: 2–10).', program: { ...PROGRAMS.burst, burstPulses: 1 }, expect: [v('burstPulses', 'mode-table', 'min', 2)] },
  { name: 'burst-rate-above-mode', description: 'Burst trains at 6 Hz (table: 1–5 Hz).', program: { ...PROGRAMS.burst, frequencyDeciHz: 60 }, expect: [v('frequencyDeciHz', 'mode-table', 'max', 50)] },
  { name: 'sweep-order', description: 'Modulated with the high end equal to the low end.', program: { ...PROGRAMS.modulated, sweepHighDeciHz: 20 }, expect: [v('sweepHighDeciHz', 'protocol', 'order', 21)] },
  { name: 'sweep-period-too-long', description: 'A 31 s sweep period (table: 1–30 s).', program: { ...PROGRAMS.modulated, sweepPeriodMs: 31_000 }, expect: [v('sweepPeriodMs', 'mode-table', 'max', 30_000)] },
  { name: 'unused-fields-nonzero', description: 'Burst and sweep fields set in conventional mode.', program: { ...conv, burstPulses: 3, sweepPeriodMs: 1_000 }, expect: [v('burstPulses', 'protocol', 'must-be-zero', 0), v('sweepPeriodMs', 'protocol', 'must-be-zero', 0)] },
  { name: 'unknown-mode', description: 'A mode not in the table.', program: { ...conv, mode: 'tens' }, expect: [v('mode', 'protocol', 'enum', 'conventional|acupuncture-like|burst|brief-intense|modulated|low-frequency')] },
  { name: 'monophasic-waveform', description: 'Only charge-balanced biphasic waveforms exist.', program: { ...conv, waveform: 'monophasic' }, expect: [v('waveform', 'protocol', 'enum', 'symmetric-biphasic|asymmetric-biphasic')] },
  { name: 'non-integer', description: 'Amplitude 20 000.5 µA: wire values are integers, nothing is rounded.', program: { ...conv, amplitudeUa: 20_000.5 }, expect: [v('amplitudeUa', 'protocol', 'integer', 'integer 0–4294967295')] },
  { name: 'negative', description: 'A negative pulse width.', program: { ...conv, pulseWidthUs: -200 }, expect: [v('pulseWidthUs', 'protocol', 'integer', 'integer 0–65535')] },
  {
    name: 'everything-wrong',
    description: 'Several limits at once: every violation is reported.',
    program: { ...conv, frequencyDeciHz: 1600, pulseWidthUs: 20, amplitudeUa: 70_000, durationMs: 13 * 3_600_000 },
    expect: [v('frequencyDeciHz', 'mode-table', 'max', 1500), v('pulseWidthUs', 'mode-table', 'min', 50), v('amplitudeUa', 'mode-table', 'max', 60_000), v('durationMs', 'mode-table', 'max', 43_200_000), v('rampUpMs', 'slew-rate', 'min', 7_000)],
  },
];

export function buildInvalidProgramVectors(): InvalidProgramVector[] {
  return INVALID.map((d) => {
    const context = d.context ?? {};
    const r = validateProgram(d.program as unknown as Program, context);
    const got = r.ok ? [] : r.violations.map((x) => ({ field: x.field, source: x.source, kind: x.kind, bound: x.bound }));
    if (!isDeepStrictEqual(got, d.expect)) throw new Error(`invalid-program vector ${d.name}: validator gave ${JSON.stringify(got)}`);
    // The board knows the mode table and its own caps only.
    const boardContext: ValidationContext = context.caps ? { caps: context.caps } : {};
    const br = validateProgram(d.program as unknown as Program, boardContext);
    const board = { refuses: !br.ok, fields: br.ok ? [] : [...new Set(br.violations.map((x) => x.field))] };
    const out: InvalidProgramVector = { name: d.name, description: d.description, program: d.program, context, expectViolations: d.expect, board };
    try {
      out.programHex = programBodyHex(d.program as unknown as Program);
    } catch {
      // Not representable on the wire (non-integer, negative, unknown enum): no bytes.
    }
    return out;
  });
}

/** The 32-byte PROGRAM layout (PROTOCOL.md), taken from an ACK echo so that no validation applies. */
function programBodyHex(program: Program): string {
  const wire = encodeFrame({ type: 'ack', seq: 1, replyTo: 1, ackedType: 'setProgram', echo: { kind: 'program', program } });
  const raw = cobsDecode(wire.subarray(0, -1))!;
  // header 4 | replyTo 2, ackedType 1, echo kind 1 | program 32 | CRC 4
  return toHex(raw.subarray(8, 40));
}
