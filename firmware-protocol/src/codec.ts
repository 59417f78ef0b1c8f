/**
 * Message bodies: one table entry per type with its size, writer and reader. Little-endian DataView
 * throughout; readers return null for a body that is the wrong length or holds an unknown enum code,
 * and never throw.
 */
import {
  CHANNEL_STATES,
  FAULT_CODES,
  FIELD_IDS,
  MAX_SERIAL_BYTES,
  MAX_TELEMETRY_SAMPLES,
  NACK_CODES,
  TYPE_CODES,
  nameOfCode,
  type MessageType,
} from './constants.ts';
import { EncodeError } from './errors.ts';
import type { AckEcho, Message, MessageOf } from './messages.ts';
import { MODES, WAVEFORMS, type Program } from './program.ts';

export const PROGRAM_BYTES = 32;

interface Codec<T extends MessageType> {
  size(m: MessageOf<T>): number;
  write(v: DataView, o: number, m: MessageOf<T>): void;
  /** `len` is the body length; return null when malformed. */
  read(v: DataView, o: number, len: number, seq: number): MessageOf<T> | null;
}

// ---- checked writers: refuse values that do not fit, never truncate ----
function u8(field: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xff) throw new EncodeError(field, 'integer 0–255', x);
  return x;
}
function u16(field: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffff) throw new EncodeError(field, 'integer 0–65535', x);
  return x;
}
function u32(field: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) throw new EncodeError(field, 'integer 0–4294967295', x);
  return x;
}
function i32(field: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < -0x80000000 || x > 0x7fffffff) throw new EncodeError(field, 'signed 32-bit integer', x);
  return x;
}
function code<T extends Record<string, number>>(field: string, t: T, name: unknown): number {
  const c = typeof name === 'string' ? t[name] : undefined;
  if (c === undefined) throw new EncodeError(field, Object.keys(t).join('|'), name);
  return c;
}
function indexOf(field: string, list: readonly string[], name: unknown): number {
  const i = typeof name === 'string' ? list.indexOf(name) : -1;
  if (i < 0) throw new EncodeError(field, list.join('|'), name);
  return i;
}

export function writeProgram(v: DataView, o: number, p: Program): void {
  v.setUint8(o, u8('program.channel', p.channel));
  v.setUint8(o + 1, indexOf('program.mode', MODES, p.mode));
  v.setUint8(o + 2, indexOf('program.waveform', WAVEFORMS, p.waveform));
  v.setUint8(o + 3, u8('program.burstPulses', p.burstPulses));
  v.setUint16(o + 4, u16('program.frequencyDeciHz', p.frequencyDeciHz), true);
  v.setUint16(o + 6, u16('program.pulseWidthUs', p.pulseWidthUs), true);
  v.setUint32(o + 8, u32('program.amplitudeUa', p.amplitudeUa), true);
  v.setUint32(o + 12, u32('program.durationMs', p.durationMs), true);
  v.setUint32(o + 16, u32('program.rampUpMs', p.rampUpMs), true);
  v.setUint32(o + 20, u32('program.rampDownMs', p.rampDownMs), true);
  v.setUint16(o + 24, u16('program.burstFrequencyDeciHz', p.burstFrequencyDeciHz), true);
  v.setUint16(o + 26, u16('program.sweepHighDeciHz', p.sweepHighDeciHz), true);
  v.setUint32(o + 28, u32('program.sweepPeriodMs', p.sweepPeriodMs), true);
}

export function readProgram(v: DataView, o: number): Program | null {
  const mode = MODES[v.getUint8(o + 1)];
  const waveform = WAVEFORMS[v.getUint8(o + 2)];
  if (mode === undefined || waveform === undefined) return null;
  return {
    channel: v.getUint8(o),
    mode,
    waveform,
    frequencyDeciHz: v.getUint16(o + 4, true),
    pulseWidthUs: v.getUint16(o + 6, true),
    amplitudeUa: v.getUint32(o + 8, true),
    durationMs: v.getUint32(o + 12, true),
    rampUpMs: v.getUint32(o + 16, true),
    rampDownMs: v.getUint32(o + 20, true),
    burstPulses: v.getUint8(o + 3),
    burstFrequencyDeciHz: v.getUint16(o + 24, true),
    sweepHighDeciHz: v.getUint16(o + 26, true),
    sweepPeriodMs: v.getUint32(o + 28, true),
  };
}

/** A body-less message. */
function empty<T extends 'getInfo' | 'estop' | 'clearFault' | 'heartbeat' | 'getStatus'>(type: T): Codec<T> {
  return {
    size: () => 0,
    write: () => {},
    read: (_v, _o, len, seq) => (len === 0 ? ({ type, seq } as MessageOf<T>) : null),
  };
}
/** A message whose body is one channel byte. */
function channelOnly<T extends 'start' | 'stop' | 'measureImpedance'>(type: T): Codec<T> {
  return {
    size: () => 1,
    write: (v, o, m) => v.setUint8(o, u8('channel', (m as { channel: number }).channel)),
    read: (v, o, len, seq) => (len === 1 ? ({ type, seq, channel: v.getUint8(o) } as MessageOf<T>) : null),
  };
}

const ECHO_KINDS = ['none', 'program', 'amplitude'] as const;
function echoSize(e: AckEcho): number {
  return e.kind === 'program' ? PROGRAM_BYTES : e.kind === 'amplitude' ? 5 : 0;
}

const INFO_FIXED = 30;
const STATUS_FIXED = 9;
const STATUS_PER_CHANNEL = 14;
const TELEMETRY_FIXED = 8;
const TELEMETRY_PER_SAMPLE = 8;

type CodecTable = { [T in MessageType]: Codec<T> };

export const CODECS: CodecTable = {
  hello: {
    size: () => 2,
    write: (v, o, m) => {
      v.setUint8(o, u8('minVersion', m.minVersion));
      v.setUint8(o + 1, u8('maxVersion', m.maxVersion));
    },
    read: (v, o, len, seq) => (len === 2 ? { type: 'hello', seq, minVersion: v.getUint8(o), maxVersion: v.getUint8(o + 1) } : null),
  },
  getInfo: empty('getInfo'),
  setProgram: {
    size: () => PROGRAM_BYTES,
    write: (v, o, m) => writeProgram(v, o, m.program),
    read: (v, o, len, seq) => {
      if (len !== PROGRAM_BYTES) return null;
      const program = readProgram(v, o);
      return program ? { type: 'setProgram', seq, program } : null;
    },
  },
  start: channelOnly('start'),
  stop: channelOnly('stop'),
  setAmplitude: {
    size: () => 5,
    write: (v, o, m) => {
      v.setUint8(o, u8('channel', m.channel));
      v.setUint32(o + 1, u32('amplitudeUa', m.amplitudeUa), true);
    },
    read: (v, o, len, seq) => (len === 5 ? { type: 'setAmplitude', seq, channel: v.getUint8(o), amplitudeUa: v.getUint32(o + 1, true) } : null),
  },
  estop: empty('estop'),
  clearFault: empty('clearFault'),
  heartbeat: empty('heartbeat'),
  measureImpedance: channelOnly('measureImpedance'),
  getStatus: empty('getStatus'),
  ack: {
    size: (m) => 4 + echoSize(m.echo),
    write: (v, o, m) => {
      v.setUint16(o, u16('replyTo', m.replyTo), true);
      v.setUint8(o + 2, code('ackedType', TYPE_CODES, m.ackedType));
      v.setUint8(o + 3, indexOf('echo.kind', ECHO_KINDS, m.echo.kind));
      if (m.echo.kind === 'program') writeProgram(v, o + 4, m.echo.program);
      else if (m.echo.kind === 'amplitude') {
        v.setUint8(o + 4, u8('echo.channel', m.echo.channel));
        v.setUint32(o + 5, u32('echo.amplitudeUa', m.echo.amplitudeUa), true);
      }
    },
    read: (v, o, len, seq) => {
      if (len < 4) return null;
      const ackedType = nameOfCode(TYPE_CODES, v.getUint8(o + 2));
      const kind = ECHO_KINDS[v.getUint8(o + 3)];
      if (ackedType === undefined || kind === undefined) return null;
      let echo: AckEcho;
      if (kind === 'program') {
        if (len !== 4 + PROGRAM_BYTES) return null;
        const program = readProgram(v, o + 4);
        if (!program) return null;
        echo = { kind, program };
      } else if (kind === 'amplitude') {
        if (len !== 9) return null;
        echo = { kind, channel: v.getUint8(o + 4), amplitudeUa: v.getUint32(o + 5, true) };
      } else {
        if (len !== 4) return null;
        echo = { kind };
      }
      return { type: 'ack', seq, replyTo: v.getUint16(o, true), ackedType, echo };
    },
  },
  nack: {
    size: () => 13,
    write: (v, o, m) => {
      v.setUint16(o, u16('replyTo', m.replyTo), true);
      v.setUint8(o + 2, code('rejectedType', TYPE_CODES, m.rejectedType));
      v.setUint8(o + 3, code('code', NACK_CODES, m.code));
      v.setUint8(o + 4, code('field', FIELD_IDS, m.field));
      v.setUint32(o + 5, u32('value', m.value), true);
      v.setUint32(o + 9, u32('bound', m.bound), true);
    },
    read: (v, o, len, seq) => {
      if (len !== 13) return null;
      const rejectedType = nameOfCode(TYPE_CODES, v.getUint8(o + 2));
      const nackCode = nameOfCode(NACK_CODES, v.getUint8(o + 3));
      const field = nameOfCode(FIELD_IDS, v.getUint8(o + 4));
      if (rejectedType === undefined || nackCode === undefined || field === undefined) return null;
      return {
        type: 'nack', seq, replyTo: v.getUint16(o, true), rejectedType, code: nackCode, field,
        value: v.getUint32(o + 5, true), bound: v.getUint32(o + 9, true),
      };
    },
  },
  info: {
    size: (m) => INFO_FIXED + m.serialNumber.length,
    write: (v, o, m) => {
      if (typeof m.serialNumber !== 'string' || m.serialNumber.length > MAX_SERIAL_BYTES || !/^[\x20-\x7e]*$/.test(m.serialNumber)) {
        throw new EncodeError('serialNumber', `printable ASCII, at most ${MAX_SERIAL_BYTES} bytes`, m.serialNumber);
      }
      v.setUint16(o, u16('replyTo', m.replyTo), true);
      v.setUint8(o + 2, u8('protocolVersion', m.protocolVersion));
      v.setUint8(o + 3, u8('firmwareMajor', m.firmwareMajor));
      v.setUint8(o + 4, u8('firmwareMinor', m.firmwareMinor));
      v.setUint8(o + 5, u8('firmwarePatch', m.firmwarePatch));
      v.setUint8(o + 6, u8('caps.channelCount', m.caps.channelCount));
      v.setUint16(o + 7, u16('watchdogMs', m.watchdogMs), true);
      v.setUint16(o + 9, u16('telemetryRateHz', m.telemetryRateHz), true);
      v.setUint32(o + 11, u32('caps.maxAmplitudeUa', m.caps.maxAmplitudeUa), true);
      v.setUint16(o + 15, u16('caps.maxPulseWidthUs', m.caps.maxPulseWidthUs), true);
      v.setUint16(o + 17, u16('caps.minFrequencyDeciHz', m.caps.minFrequencyDeciHz), true);
      v.setUint16(o + 19, u16('caps.maxFrequencyDeciHz', m.caps.maxFrequencyDeciHz), true);
      v.setUint32(o + 21, u32('caps.maxSlewUaPerS', m.caps.maxSlewUaPerS), true);
      v.setUint32(o + 25, u32('caps.complianceMv', m.caps.complianceMv), true);
      v.setUint8(o + 29, m.serialNumber.length);
      for (let i = 0; i < m.serialNumber.length; i++) v.setUint8(o + INFO_FIXED + i, m.serialNumber.charCodeAt(i));
    },
    read: (v, o, len, seq) => {
      if (len < INFO_FIXED) return null;
      const serialLen = v.getUint8(o + 29);
      if (serialLen > MAX_SERIAL_BYTES || len !== INFO_FIXED + serialLen) return null;
      let serialNumber = '';
      for (let i = 0; i < serialLen; i++) {
        const c = v.getUint8(o + INFO_FIXED + i);
        if (c < 0x20 || c > 0x7e) return null;
        serialNumber += String.fromCharCode(c);
      }
      return {
        type: 'info', seq, replyTo: v.getUint16(o, true),
        protocolVersion: v.getUint8(o + 2),
        firmwareMajor: v.getUint8(o + 3), firmwareMinor: v.getUint8(o + 4), firmwarePatch: v.getUint8(o + 5),
        watchdogMs: v.getUint16(o + 7, true),
        telemetryRateHz: v.getUint16(o + 9, true),
        caps: {
          channelCount: v.getUint8(o + 6),
          maxAmplitudeUa: v.getUint32(o + 11, true),
          maxPulseWidthUs: v.getUint16(o + 15, true),
          minFrequencyDeciHz: v.getUint16(o + 17, true),
          maxFrequencyDeciHz: v.getUint16(o + 19, true),
          maxSlewUaPerS: v.getUint32(o + 21, true),
          complianceMv: v.getUint32(o + 25, true),
        },
        serialNumber,
      };
    },
  },
  status: {
    size: (m) => STATUS_FIXED + STATUS_PER_CHANNEL * m.channels.length,
    write: (v, o, m) => {
      v.setUint16(o, u16('replyTo', m.replyTo), true);
      v.setUint32(o + 2, u32('uptimeMs', m.uptimeMs), true);
      v.setUint8(o + 6, m.fault === null ? 0 : code('fault', FAULT_CODES, m.fault));
      v.setUint8(o + 7, m.helloDone ? 1 : 0);
      v.setUint8(o + 8, u8('channels.length', m.channels.length));
      let p = o + STATUS_FIXED;
      for (const c of m.channels) {
        v.setUint8(p, u8('channel', c.channel));
        v.setUint8(p + 1, indexOf('state', CHANNEL_STATES, c.state));
        v.setUint32(p + 2, u32('amplitudeUa', c.amplitudeUa), true);
        v.setUint32(p + 6, u32('targetUa', c.targetUa), true);
        v.setUint32(p + 10, u32('elapsedMs', c.elapsedMs), true);
        p += STATUS_PER_CHANNEL;
      }
    },
    read: (v, o, len, seq) => {
      if (len < STATUS_FIXED) return null;
      const n = v.getUint8(o + 8);
      const faultByte = v.getUint8(o + 6);
      const flags = v.getUint8(o + 7);
      if (len !== STATUS_FIXED + n * STATUS_PER_CHANNEL || flags > 1) return null;
      const fault = faultByte === 0 ? null : nameOfCode(FAULT_CODES, faultByte);
      if (fault === undefined) return null;
      const channels = [];
      let p = o + STATUS_FIXED;
      for (let i = 0; i < n; i++, p += STATUS_PER_CHANNEL) {
        const state = CHANNEL_STATES[v.getUint8(p + 1)];
        if (state === undefined) return null;
        channels.push({ channel: v.getUint8(p), state, amplitudeUa: v.getUint32(p + 2, true), targetUa: v.getUint32(p + 6, true), elapsedMs: v.getUint32(p + 10, true) });
      }
      return { type: 'status', seq, replyTo: v.getUint16(o, true), uptimeMs: v.getUint32(o + 2, true), fault, helloDone: flags === 1, channels };
    },
  },
  telemetry: {
    size: (m) => TELEMETRY_FIXED + TELEMETRY_PER_SAMPLE * m.samples.length,
    write: (v, o, m) => {
      if (m.samples.length > MAX_TELEMETRY_SAMPLES) throw new EncodeError('samples.length', `at most ${MAX_TELEMETRY_SAMPLES}`, m.samples.length);
      v.setUint8(o, u8('channel', m.channel));
      v.setUint8(o + 1, m.samples.length);
      v.setUint16(o + 2, u16('sampleIntervalUs', m.sampleIntervalUs), true);
      v.setUint32(o + 4, u32('firstSampleMs', m.firstSampleMs), true);
      let p = o + TELEMETRY_FIXED;
      for (const s of m.samples) {
        v.setInt32(p, i32('currentUa', s.currentUa), true);
        v.setInt32(p + 4, i32('voltageMv', s.voltageMv), true);
        p += TELEMETRY_PER_SAMPLE;
      }
    },
    read: (v, o, len, seq) => {
      if (len < TELEMETRY_FIXED) return null;
      const n = v.getUint8(o + 1);
      if (n > MAX_TELEMETRY_SAMPLES || len !== TELEMETRY_FIXED + n * TELEMETRY_PER_SAMPLE) return null;
      const samples = new Array(n);
      let p = o + TELEMETRY_FIXED;
      for (let i = 0; i < n; i++, p += TELEMETRY_PER_SAMPLE) samples[i] = { currentUa: v.getInt32(p, true), voltageMv: v.getInt32(p + 4, true) };
      return { type: 'telemetry', seq, channel: v.getUint8(o), firstSampleMs: v.getUint32(o + 4, true), sampleIntervalUs: v.getUint16(o + 2, true), samples };
    },
  },
  fault: {
    size: () => 6,
    write: (v, o, m) => {
      v.setUint8(o, code('code', FAULT_CODES, m.code));
      v.setUint8(o + 1, u8('channel', m.channel));
      v.setUint32(o + 2, u32('detail', m.detail), true);
    },
    read: (v, o, len, seq) => {
      if (len !== 6) return null;
      const faultCode = nameOfCode(FAULT_CODES, v.getUint8(o));
      if (faultCode === undefined) return null;
      return { type: 'fault', seq, code: faultCode, channel: v.getUint8(o + 1), detail: v.getUint32(o + 2, true) };
    },
  },
  impedance: {
    size: () => 8,
    write: (v, o, m) => {
      v.setUint16(o, u16('replyTo', m.replyTo), true);
      v.setUint8(o + 2, u8('channel', m.channel));
      v.setUint8(o + 3, m.ok ? 1 : 0);
      v.setUint32(o + 4, u32('impedanceOhm', m.impedanceOhm), true);
    },
    read: (v, o, len, seq) => {
      if (len !== 8) return null;
      const ok = v.getUint8(o + 3);
      if (ok > 1) return null;
      return { type: 'impedance', seq, replyTo: v.getUint16(o, true), channel: v.getUint8(o + 2), impedanceOhm: v.getUint32(o + 4, true), ok: ok === 1 };
    },
  },
};

/** Type code → tag, as a dense 256-entry lookup for the decoder's hot path. */
export const TYPE_BY_CODE: ReadonlyArray<MessageType | undefined> = (() => {
  const t: (MessageType | undefined)[] = new Array(256).fill(undefined);
  for (const [name, c] of Object.entries(TYPE_CODES)) t[c] = name as MessageType;
  return t;
})();

export function bodySize(m: Message): number {
  return (CODECS[m.type] as Codec<MessageType>).size(m as never);
}
export function writeBody(v: DataView, o: number, m: Message): void {
  (CODECS[m.type] as Codec<MessageType>).write(v, o, m as never);
}
export function readBody(type: MessageType, v: DataView, o: number, len: number, seq: number): Message | null {
  return (CODECS[type] as Codec<MessageType>).read(v, o, len, seq);
}
