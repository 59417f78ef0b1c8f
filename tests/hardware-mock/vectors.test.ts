/**
 * The golden vectors of firmware-protocol/vectors/ (normative, PROTOCOL.md § 15), through the simulated
 * board:
 * - messages.json: every host → board frame, fed byte for byte into board.port, is decoded by the board as
 *   exactly `message` (board.onFrame('in')) and answered exactly once; every board → host message is
 *   encoded by the board's encoder (firmware-protocol encodeFrame) as exactly `hex`, and a board that resets
 *   emits the `fault-reset` frame byte for byte;
 * - malformed.json: the board's receive path yields exactly `expectMessages` and `expectDrops`, for the
 *   given chunking, one chunk and one byte at a time, and answers each CRC-valid unusable frame (§ 14);
 * - programs-invalid.json: each refused program, written as raw SET_PROGRAM bytes, is NACKed by a board
 *   with `context.caps` naming one of the expected fields (or accepted where only the host may refuse).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  CRC_BYTES,
  HEADER_BYTES,
  PROGRAM_BYTES,
  TYPE_CODES,
  cobsEncode,
  crc32c,
  encodeFrame,
  writeProgram,
  type BoardCaps,
  type DropCounters,
  type Message,
  type Program,
} from '../../firmware-protocol/src/index.ts';
import type { SimulatedBoardOptions } from '../../hardware-mock/src/index.ts';
import { Host } from './harness.ts';

const dir = new URL('../../firmware-protocol/vectors/', import.meta.url);
const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as T;

interface MessageVector {
  name: string;
  hex: string;
  message: Message;
}
interface MalformedVector {
  name: string;
  chunksHex: string[];
  expectMessages: Message[];
  expectDrops: DropCounters;
}
interface ProgramVector {
  name: string;
  program: Program;
  context: { caps?: Partial<BoardCaps> };
  board: { refuses: boolean; fields: string[] };
  programHex?: string;
}

const messages = load<{ vectors: MessageVector[] }>('messages.json').vectors;
const malformed = load<{ vectors: MalformedVector[] }>('malformed.json').vectors;
const programs = load<{ vectors: ProgramVector[] }>('programs-invalid.json').vectors;

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const isRequest = (m: Message) => TYPE_CODES[m.type] < 0x80;

/** A connected host whose board reports every frame it decodes. */
async function listening(options: SimulatedBoardOptions = {}, hello = true) {
  const h = await Host.connect(options, { hello });
  const decoded: Message[] = [];
  h.board.onFrame((direction, m) => {
    if (direction === 'in') decoded.push(m);
  });
  h.clearReceived();
  return { h, decoded };
}

test('the vector files are there and cover both directions', () => {
  expect(messages.filter((v) => isRequest(v.message)).length).toBeGreaterThanOrEqual(11);
  expect(messages.filter((v) => !isRequest(v.message)).length).toBeGreaterThanOrEqual(7);
  expect(malformed.length).toBeGreaterThan(10);
  expect(programs.length).toBeGreaterThan(10);
});

describe('messages.json, host → board: the board decodes each frame as `message` and answers it once', () => {
  test.each(messages.filter((v) => isRequest(v.message)).map((v) => [v.name, v] as const))('%s', async (_name, v) => {
    const { h, decoded } = await listening({}, v.message.type !== 'hello');
    await h.writeRaw(fromHex(v.hex));
    await h.clock.settle();
    expect(decoded).toEqual([v.message]);
    const replies = h.received.filter((m) => 'replyTo' in m && m.replyTo === v.message.seq && !(m.type === 'status' && m.replyTo === 0));
    expect(replies).toHaveLength(1);
    await h.close();
  });
});

describe('messages.json, board → host: the board’s encoder reproduces `hex`', () => {
  test.each(messages.filter((v) => !isRequest(v.message)).map((v) => [v.name, v] as const))('%s', (_name, v) => {
    expect(toHex(encodeFrame(v.message))).toBe(v.hex);
  });

  test.each(messages.filter((v) => !isRequest(v.message)).map((v) => [v.name, v] as const))('%s sent to the board is decoded and refused badEnum', async (_name, v) => {
    const { h, decoded } = await listening();
    await h.writeRaw(fromHex(v.hex));
    await h.clock.settle();
    expect(decoded).toEqual([v.message]);
    expect(h.replyTo(v.message.seq)).toMatchObject({ type: 'nack', rejectedType: v.message.type, code: 'badEnum', field: 'none', value: TYPE_CODES[v.message.type] });
    await h.close();
  });

  test('a brown-out makes the board emit the fault-reset vector byte for byte', async () => {
    const vector = messages.find((v) => v.name === 'fault-reset')!;
    const { h } = await listening();
    h.chunks.length = 0;
    h.board.inject.reset();
    await h.clock.settle();
    expect(toHex(h.bytesRead()).startsWith(vector.hex)).toBe(true);
    await h.close();
  });
});

describe('malformed.json: the board’s receive path', () => {
  const chunkings: [string, (chunks: Uint8Array[]) => Uint8Array[]][] = [
    ['as given', (c) => c],
    ['in one write', (c) => [Uint8Array.from(c.flatMap((x) => [...x]))]],
    ['one byte per write', (c) => c.flatMap((x) => [...x].map((b) => Uint8Array.of(b)))],
  ];
  const cases = malformed.flatMap((v) => chunkings.map(([how, split]) => [v.name, how, v, split] as const));
  test.each(cases)('%s (%s): exactly expectMessages and expectDrops; every CRC-valid unusable frame NACKed', async (_name, _how, v, split) => {
    const { h, decoded } = await listening();
    const before = h.board.stats.drops;
    // A leading 0x00 flushes nothing here but is allowed (PROTOCOL.md § 6.1); vectors start clean.
    for (const chunk of split(v.chunksHex.map(fromHex))) await h.writeRaw(chunk);
    await h.clock.settle();
    expect(decoded).toEqual(v.expectMessages);
    const after = h.board.stats.drops;
    const delta = Object.fromEntries(Object.entries(after).map(([k, n]) => [k, n - before[k as keyof DropCounters]]));
    expect(delta).toEqual(v.expectDrops);
    const protocolNacks = h.of('nack').filter((n) => ['badLength', 'badEnum', 'unsupportedVersion'].includes(n.code));
    const boardTypesDecoded = v.expectMessages.filter((m) => !isRequest(m)).length;
    expect(protocolNacks).toHaveLength(v.expectDrops.malformed + v.expectDrops.version + boardTypesDecoded);
    await h.close();
  });
});

/** header | the vector's 32 program bytes | CRC-32C, COBS, 0x00 — nothing validated on the way. */
function rawSetProgram(seq: number, programHex: string): Uint8Array {
  const raw = new Uint8Array(HEADER_BYTES + PROGRAM_BYTES + CRC_BYTES);
  const view = new DataView(raw.buffer);
  view.setUint8(0, 1);
  view.setUint8(1, TYPE_CODES.setProgram);
  view.setUint16(2, seq, true);
  raw.set(fromHex(programHex), HEADER_BYTES);
  view.setUint32(HEADER_BYTES + PROGRAM_BYTES, crc32c(raw, 0, HEADER_BYTES + PROGRAM_BYTES), true);
  return Uint8Array.from([...cobsEncode(raw), 0]);
}

describe('programs-invalid.json: the board’s own checks on raw SET_PROGRAM bytes', () => {
  const wire = programs.filter((v) => v.programHex !== undefined);

  test('programHex is the PROGRAM block of `program`, and only unrepresentable programs lack it', () => {
    for (const v of programs) {
      const bytes = new Uint8Array(PROGRAM_BYTES);
      let representable = true;
      try {
        writeProgram(new DataView(bytes.buffer), 0, v.program);
      } catch {
        representable = false;
      }
      expect(v.programHex !== undefined, v.name).toBe(representable);
      if (v.programHex) expect(toHex(bytes), v.name).toBe(v.programHex);
    }
  });

  test.each(wire.map((v) => [v.name, v] as const))('%s', async (_name, v) => {
    const { h } = await listening({ caps: v.context.caps ?? {} });
    const seq = h.nextSeq();
    await h.writeRaw(rawSetProgram(seq, v.programHex!));
    await h.clock.settle();
    const reply = h.replyTo(seq)!;
    if (v.board.refuses) {
      expect(reply).toMatchObject({ type: 'nack', rejectedType: 'setProgram' });
      expect(reply.type === 'nack' && v.board.fields).toContain(reply.type === 'nack' ? reply.field : '');
      expect(h.board.program(v.program.channel < h.board.channelCount ? v.program.channel : 0)).toBeNull();
    } else {
      // Only the host knows the lab cap and the electrode area: the board accepts and echoes it.
      expect(reply).toMatchObject({ type: 'ack', echo: { kind: 'program', program: v.program } });
    }
    await h.close();
  });
});
