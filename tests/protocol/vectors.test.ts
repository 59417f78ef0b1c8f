/**
 * The committed golden vectors (firmware-protocol/vectors/*.json) are the contract every implementation
 * must reproduce: each message vector encodes to its exact bytes and decodes to its value; each malformed
 * stream yields exactly the expected messages and drop counts whatever the chunking; each invalid program
 * is refused with exactly the expected violations; PROTOCOL.md shows exactly these bytes.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  CHANNEL_STATES,
  FrameDecoder,
  MODES,
  PROGRAM_BYTES,
  PROTOCOL_VERSION,
  ProgramRejectedError,
  ProtocolError,
  TYPE_CODES,
  cobsDecode,
  crc32c,
  encodeFrame,
  readProgram,
  validateProgram,
  type Message,
  type Program,
} from '../../firmware-protocol/src/index.ts';
import { chunkingArb, concatBytes, splitAt } from './arbitraries.ts';
import { fromHex, toHex, type InvalidProgramVector, type MalformedVector, type MessageVector } from './vectorDefinitions.ts';
import { extractExamples, renderExamples } from './vectorsDoc.ts';

const read = <T>(name: string): T => JSON.parse(readFileSync(fileURLToPath(new URL(`../../firmware-protocol/vectors/${name}`, import.meta.url)), 'utf8')) as T;
const messages = read<{ protocolVersion: number; vectors: MessageVector[] }>('messages.json');
const malformed = read<{ vectors: MalformedVector[] }>('malformed.json');
const invalid = read<{ vectors: InvalidProgramVector[] }>('programs-invalid.json');

describe('messages.json', () => {
  test('is for this protocol version and covers every type code, echo kind, mode and the edge cases', () => {
    expect(messages.protocolVersion).toBe(PROTOCOL_VERSION);
    const ms = messages.vectors.map((v) => v.message);
    expect(new Set(ms.map((m) => m.type))).toEqual(new Set(Object.keys(TYPE_CODES)));
    expect(new Set(ms.flatMap((m) => (m.type === 'ack' ? [m.echo.kind] : [])))).toEqual(new Set(['none', 'program', 'amplitude']));
    expect(new Set(ms.flatMap((m) => (m.type === 'setProgram' ? [m.program.mode] : [])))).toEqual(new Set(MODES));
    expect(new Set(ms.flatMap((m) => (m.type === 'setProgram' ? [m.program.waveform] : [])))).toEqual(new Set(['symmetric-biphasic', 'asymmetric-biphasic']));
    expect(ms.some((m) => m.type === 'status' && m.channels.length === 0)).toBe(true);
    expect(ms.some((m) => m.type === 'status' && m.channels.length === 2)).toBe(true);
    expect(new Set(ms.flatMap((m) => (m.type === 'status' ? m.channels.map((c) => c.state) : [])))).toEqual(new Set(CHANNEL_STATES));
    expect(ms.some((m) => m.type === 'telemetry' && m.samples.some((s) => s.voltageMv < 0))).toBe(true);
    expect(messages.vectors.some((v) => v.hex.startsWith('ff'))).toBe(true); // a 0xFF COBS block
    expect(new Set(messages.vectors.map((v) => v.name)).size).toBe(messages.vectors.length);
  });
  for (const v of messages.vectors) {
    test(`${v.name}: encodes to its hex and decodes to its message`, () => {
      expect(toHex(encodeFrame(v.message))).toBe(v.hex);
      const decoder = new FrameDecoder();
      expect(decoder.push(fromHex(v.hex))).toEqual([v.message]);
      expect(decoder.droppedTotal).toBe(0);
      // The decoded frame: version, type code, seq (LE), body, CRC-32C (LE) of everything before it.
      const raw = cobsDecode(fromHex(v.hex).subarray(0, -1))!;
      const view = new DataView(raw.buffer);
      expect(raw[0]).toBe(1);
      expect(raw[1]).toBe(TYPE_CODES[v.message.type]);
      expect(view.getUint16(2, true)).toBe(v.message.seq);
      expect(view.getUint32(raw.length - 4, true)).toBe(crc32c(raw, 0, raw.length - 4));
      if (v.message.type === 'setProgram') {
        expect(raw.length).toBe(4 + PROGRAM_BYTES + 4);
        expect(validateProgram(v.message.program)).toEqual({ ok: true });
      }
    });
  }
  test('all vectors back to back, in any chunking, decode to all messages in order', () => {
    const stream = concatBytes(messages.vectors.map((v) => fromHex(v.hex)));
    fc.assert(
      fc.property(chunkingArb(stream.length), (cuts) => {
        const d = new FrameDecoder();
        expect(splitAt(stream, cuts).flatMap((c) => d.push(c))).toEqual(messages.vectors.map((v) => v.message));
      }),
      { numRuns: 50 },
    );
  });
});

describe('malformed.json', () => {
  test('covers every drop reason', () => {
    const reasons = new Set(malformed.vectors.flatMap((v) => Object.entries(v.expectDrops).filter(([, n]) => n > 0).map(([r]) => r)));
    expect(reasons).toEqual(new Set(['crc', 'cobs', 'length', 'unknownType', 'version', 'malformed']));
  });
  for (const v of malformed.vectors) {
    test(`${v.name}: exactly the expected messages and drops, in the given chunks, whole, byte by byte and any chunking`, () => {
      const chunks = v.chunksHex.map(fromHex);
      const stream = concatBytes(chunks);
      const run = (parts: Uint8Array[]) => {
        const d = new FrameDecoder();
        const out: Message[] = parts.flatMap((c) => d.push(c));
        return { out, drops: { ...d.drops } };
      };
      for (const parts of [chunks, [stream], Array.from(stream, (b) => Uint8Array.of(b))]) {
        const r = run(parts);
        expect(r.out).toEqual(v.expectMessages);
        expect(r.drops).toEqual(v.expectDrops);
      }
      fc.assert(
        fc.property(chunkingArb(stream.length), (cuts) => {
          const r = run(splitAt(stream, cuts));
          expect(r.out).toEqual(v.expectMessages);
          expect(r.drops).toEqual(v.expectDrops);
        }),
        { numRuns: 30 },
      );
    });
  }
});

describe('programs-invalid.json', () => {
  for (const v of invalid.vectors) {
    test(`${v.name}: refused with exactly the expected violations, and never encoded`, () => {
      const program = v.program as unknown as Program;
      const r = validateProgram(program, v.context);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.violations.map((x) => ({ field: x.field, source: x.source, kind: x.kind, bound: x.bound }))).toEqual(v.expectViolations);
      let bytes: Uint8Array | undefined;
      try {
        bytes = encodeFrame({ type: 'setProgram', seq: 1, program }, { validation: v.context });
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
        expect(e).toBeInstanceOf(ProgramRejectedError);
      }
      expect(bytes).toBeUndefined();
      // What a board (mode table + its own caps, no lab cap or area) must do with the same program.
      const board = validateProgram(program, v.context.caps ? { caps: v.context.caps } : {});
      expect(!board.ok).toBe(v.board.refuses);
      if (!board.ok) expect([...new Set(board.violations.map((x) => x.field))]).toEqual(v.board.fields);
      if (v.programHex !== undefined) {
        const body = fromHex(v.programHex);
        expect(body.length).toBe(PROGRAM_BYTES);
        expect(readProgram(new DataView(body.buffer), 0)).toEqual(program);
      }
    });
  }
});

describe('PROTOCOL.md', () => {
  test('its worked examples are exactly the message vectors', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../firmware-protocol/PROTOCOL.md', import.meta.url)), 'utf8');
    expect(extractExamples(doc)).toBe(renderExamples(messages.vectors));
  });
});
