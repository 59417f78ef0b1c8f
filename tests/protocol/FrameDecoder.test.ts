/**
 * The streaming decoder against hostile input: it never throws or stalls, resynchronises at the next
 * 0x00, counts every dropped frame by reason, and never lets a corrupted frame through.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  FrameDecoder,
  MAX_ENCODED_FRAME_BYTES,
  MAX_FRAME_BYTES,
  cobsEncode,
  crc32c,
  encodeFrame,
  type DropCounters,
  type DroppedFrameInfo,
  type Message,
} from '../../firmware-protocol/src/index.ts';
import { anyMessageArb, chunkingArb, concatBytes, splitAt } from './arbitraries.ts';

const heartbeat: Message = { type: 'heartbeat', seq: 7 };
const start: Message = { type: 'start', seq: 8, channel: 1 };
const zeroDrops = (): DropCounters => ({ crc: 0, cobs: 0, length: 0, unknownType: 0, version: 0, malformed: 0 });

/** A frame built by hand: header + body + correct CRC, COBS, delimiter. */
function rawFrame(version: number, typeCode: number, seq: number, body: number[]): Uint8Array {
  const raw = new Uint8Array(4 + body.length + 4);
  const v = new DataView(raw.buffer);
  raw[0] = version;
  raw[1] = typeCode;
  v.setUint16(2, seq, true);
  raw.set(body, 4);
  v.setUint32(4 + body.length, crc32c(raw, 0, 4 + body.length), true);
  return concatBytes([cobsEncode(raw), Uint8Array.of(0)]);
}

function run(chunks: Uint8Array[], decoder = new FrameDecoder()) {
  const messages: Message[] = [];
  for (const c of chunks) messages.push(...decoder.push(c));
  return { messages, drops: { ...decoder.drops }, decoder };
}

describe('drop reasons', () => {
  test('bad CRC: dropped as crc, the next frame still decodes', () => {
    const bad = encodeFrame(heartbeat).slice();
    bad[2] = bad[2]! ^ 0x01;
    const r = run([bad, encodeFrame(start)]);
    expect(r.messages).toEqual([start]);
    expect(r.drops).toEqual({ ...zeroDrops(), crc: 1 });
  });
  test('a code byte pointing past the delimiter: cobs', () => {
    expect(run([Uint8Array.of(0x05, 0x11, 0x22, 0x00)]).drops).toEqual({ ...zeroDrops(), cobs: 1 });
  });
  test('fewer than header + CRC bytes: length', () => {
    expect(run([Uint8Array.of(0x02, 0x01, 0x00)]).drops).toEqual({ ...zeroDrops(), length: 1 });
    expect(run([concatBytes([cobsEncode(new Uint8Array(7).fill(1)), Uint8Array.of(0)])]).drops).toEqual({ ...zeroDrops(), length: 1 });
  });
  test('more encoded bytes than any frame can need: length, counted once, then resync', () => {
    const long = new Uint8Array(MAX_ENCODED_FRAME_BYTES + 500).fill(0x42);
    const r = run([long, Uint8Array.of(0), encodeFrame(start)]);
    expect(r.messages).toEqual([start]);
    expect(r.drops).toEqual({ ...zeroDrops(), length: 1 });
  });
  test('an over-long frame split across many chunks is still counted once', () => {
    const long = new Uint8Array(5000).fill(0x42);
    const r = run([...splitAt(long, [7, 100, 1100, 1200, 4000]), Uint8Array.of(0), encodeFrame(start)]);
    expect(r.messages).toEqual([start]);
    expect(r.drops.length).toBe(1);
  });
  test('valid COBS that decodes to more than MAX_FRAME_BYTES: length (not cobs)', () => {
    // 1029 code bytes of 0x01 are valid COBS for 1028 zero bytes.
    const r = run([new Uint8Array(MAX_ENCODED_FRAME_BYTES).fill(1), Uint8Array.of(0)]);
    expect(r.drops).toEqual({ ...zeroDrops(), length: 1 });
  });
  test('a frame of exactly MAX_FRAME_BYTES decoded bytes is accepted', () => {
    const body = Array.from({ length: MAX_FRAME_BYTES - 8 }, (_, i) => (i % 255) + 1);
    const r = run([rawFrame(1, 0x7e, 1, body)]);
    // Reaches the type check, i.e. it passed the length and CRC checks.
    expect(r.drops).toEqual({ ...zeroDrops(), unknownType: 1 });
  });
  test('unknown type code: unknownType', () => {
    expect(run([rawFrame(1, 0x7f, 3, [])]).drops).toEqual({ ...zeroDrops(), unknownType: 1 });
  });
  test('unsupported header version: version; a decoder configured for it accepts it', () => {
    const f = rawFrame(2, 0x09, 3, []);
    expect(run([f]).drops).toEqual({ ...zeroDrops(), version: 1 });
    expect(run([f], new FrameDecoder({ versions: [1, 2] })).messages).toEqual([{ type: 'heartbeat', seq: 3 }]);
  });
  test('wrong body length and unknown enum codes: malformed', () => {
    const r = run([
      rawFrame(1, 0x04, 1, []), // start without its channel byte
      rawFrame(1, 0x09, 1, [0]), // heartbeat with a body
      rawFrame(1, 0x86, 1, [99, 0, 0, 0, 0, 0]), // fault code 99
      rawFrame(1, 0x84, 1, [0, 0, 0, 0, 0, 0, 0, 2, 0]), // status helloDone byte 2
    ]);
    expect(r.drops).toEqual({ ...zeroDrops(), malformed: 4 });
  });
  test('empty frames (00 00 …) are ignored, not counted', () => {
    const r = run([Uint8Array.of(0, 0, 0), encodeFrame(start), Uint8Array.of(0, 0)]);
    expect(r.messages).toEqual([start]);
    expect(r.drops).toEqual(zeroDrops());
  });
  test('a frame is only delivered when its delimiter arrives', () => {
    const wire = encodeFrame(start);
    const d = new FrameDecoder();
    expect(d.push(wire.subarray(0, -1))).toEqual([]);
    expect(d.push(wire.subarray(-1))).toEqual([start]);
  });
  test('onDrop reports what is known about the frame; a throwing hook does not break decoding', () => {
    const seen: DroppedFrameInfo[] = [];
    const d = new FrameDecoder({
      onDrop: (info) => {
        seen.push(info);
        throw new Error('hook failure');
      },
    });
    const out = d.push(concatBytes([rawFrame(1, 0x04, 42, []), rawFrame(3, 0x09, 43, []), encodeFrame(start)]));
    expect(out).toEqual([start]);
    expect(seen).toEqual([
      { reason: 'malformed', version: 1, typeCode: 4, type: 'start', seq: 42 },
      { reason: 'version', version: 3, typeCode: 9, seq: 43 },
    ]);
  });
  test('reset() forgets a partial frame but keeps the counters', () => {
    const d = new FrameDecoder();
    d.push(Uint8Array.of(0x05, 0x11));
    d.push(Uint8Array.of(0));
    d.push(encodeFrame(heartbeat).subarray(0, 5));
    d.reset();
    expect(d.push(encodeFrame(start))).toEqual([start]);
    expect(d.drops.cobs).toBe(1);
    expect(d.framesDecoded).toBe(1);
  });
  test('counters: framesDecoded, bytesIn, droppedTotal', () => {
    const wire = concatBytes([encodeFrame(start), Uint8Array.of(0x05, 0), encodeFrame(heartbeat)]);
    const { decoder } = run([wire]);
    expect(decoder.framesDecoded).toBe(2);
    expect(decoder.bytesIn).toBe(wire.length);
    expect(decoder.droppedTotal).toBe(1);
  });
  test('input chunks are not modified (the decoder works on its own copy)', () => {
    const wire = encodeFrame(start);
    const copy = wire.slice();
    new FrameDecoder().push(wire);
    expect([...wire]).toEqual([...copy]);
  });
});

describe('robustness properties', () => {
  test('arbitrary bytes never throw, never stall: a valid frame after a 0x00 always decodes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 8 }), anyMessageArb, (garbage, m) => {
        const d = new FrameDecoder();
        for (const g of garbage) d.push(g);
        expect(d.push(Uint8Array.of(0))).toEqual([]);
        expect(d.push(encodeFrame(m))).toEqual([m]);
      }),
      { numRuns: 300 },
    );
  });
  test('long garbage runs (beyond the frame limit) still resync at the next 0x00', () => {
    fc.assert(
      fc.property(fc.uint8Array({ min: 1, minLength: 1030, maxLength: 4000 }), anyMessageArb, (garbage, m) => {
        const d = new FrameDecoder();
        d.push(garbage);
        expect(d.push(concatBytes([Uint8Array.of(0), encodeFrame(m)]))).toEqual([m]);
        expect(d.drops.length).toBe(1);
      }),
      { numRuns: 50 },
    );
  });
  test('garbage, then 0x00, then a valid frame yields exactly that frame', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), anyMessageArb, (garbage, m) => {
        const { messages } = run([garbage, Uint8Array.of(0), encodeFrame(m)]);
        expect(messages.at(-1)).toEqual(m);
        // Anything else decoded out of random garbage would need a 2^-32 CRC collision.
        expect(messages).toEqual([m]);
      }),
      { numRuns: 300 },
    );
  });
  test('any chunking of any stream (valid frames mixed with garbage) gives the same messages and drop counts', () => {
    const piece = fc.oneof(anyMessageArb.map((m) => encodeFrame(m)), fc.uint8Array({ maxLength: 60 }), fc.constant(Uint8Array.of(0)));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.nat(), (pieces, seed) => {
        const stream = concatBytes(pieces);
        const whole = run([stream]);
        const cuts = fc.sample(chunkingArb(stream.length), { numRuns: 1, seed })[0]!;
        const chunked = run(splitAt(stream, cuts));
        const bytewise = run(Array.from(stream, (b) => Uint8Array.of(b)));
        expect(chunked.messages).toEqual(whole.messages);
        expect(chunked.drops).toEqual(whole.drops);
        expect(bytewise.messages).toEqual(whole.messages);
        expect(bytewise.drops).toEqual(whole.drops);
      }),
      { numRuns: 300 },
    );
  });
  test('a frame with any single bit flipped on the wire is never delivered', () => {
    fc.assert(
      fc.property(anyMessageArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (m, at, bit) => {
        const wire = encodeFrame(m).slice();
        const i = at % wire.length;
        wire[i] = wire[i]! ^ (1 << bit);
        // Terminate in case the flip removed the delimiter, then prove the link still works.
        const r = run([wire, Uint8Array.of(0), encodeFrame(start)]);
        expect(r.messages).toEqual([start]);
        expect(r.decoder.droppedTotal).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });
  test('a frame truncated at any point is never delivered, and the next one is', () => {
    fc.assert(
      fc.property(anyMessageArb, fc.nat(), (m, at) => {
        const wire = encodeFrame(m);
        const cut = 1 + (at % (wire.length - 2));
        const r = run([wire.subarray(0, cut), Uint8Array.of(0), encodeFrame(start)]);
        expect(r.messages).toEqual([start]);
        expect(r.decoder.droppedTotal).toBe(1);
      }),
      { numRuns: 500 },
    );
  });
});
