/** encode → decode is the identity for arbitrary valid messages of every type, whatever the chunking. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CODECS, FrameDecoder, MAX_FRAME_BYTES, TYPE_CODES, encodeFrame, type Message } from '../../firmware-protocol/src/index.ts';
import { anyMessageArb, chunkingArb, messageArb, messageTypes, splitAt } from './arbitraries.ts';

function decodeAll(bytes: Uint8Array | Uint8Array[]): { messages: Message[]; decoder: FrameDecoder } {
  const decoder = new FrameDecoder();
  const messages: Message[] = [];
  for (const chunk of Array.isArray(bytes) ? bytes : [bytes]) messages.push(...decoder.push(chunk));
  return { messages, decoder };
}

describe('round trip per message type', () => {
  test('every type code has a codec and an arbitrary (the table and the tests cannot drift apart)', () => {
    expect(Object.keys(CODECS).sort()).toEqual(Object.keys(TYPE_CODES).sort());
    expect(messageTypes).toHaveLength(18);
  });
  for (const type of messageTypes) {
    test(`${type}: decode(encode(m)) deep-equals m, one frame, no drops`, () => {
      fc.assert(
        fc.property(messageArb(type), (m) => {
          const wire = encodeFrame(m);
          expect(wire[wire.length - 1]).toBe(0);
          expect(wire.subarray(0, -1).includes(0)).toBe(false);
          const { messages, decoder } = decodeAll(wire);
          expect(messages).toEqual([m]);
          expect(decoder.droppedTotal).toBe(0);
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('streams of messages', () => {
  test('any chunking of a stream of valid frames yields the same messages, in order', () => {
    fc.assert(
      fc.property(fc.array(anyMessageArb, { minLength: 1, maxLength: 12 }), fc.nat(), (msgs, seed) => {
        const frames = msgs.map((m) => encodeFrame(m));
        const stream = Uint8Array.from(frames.flatMap((f) => [...f]));
        const cuts = fc.sample(chunkingArb(stream.length), { numRuns: 1, seed })[0]!;
        expect(decodeAll(splitAt(stream, cuts)).messages).toEqual(msgs);
      }),
      { numRuns: 150 },
    );
  });
  test('byte-at-a-time feeding yields the same messages', () => {
    fc.assert(
      fc.property(fc.array(anyMessageArb, { minLength: 1, maxLength: 4 }), (msgs) => {
        const stream = Uint8Array.from(msgs.flatMap((m) => [...encodeFrame(m)]));
        const decoder = new FrameDecoder();
        const out: Message[] = [];
        for (let i = 0; i < stream.length; i++) out.push(...decoder.push(stream.subarray(i, i + 1)));
        expect(out).toEqual(msgs);
      }),
      { numRuns: 60 },
    );
  });
  test('the largest frames (up to MAX_FRAME_BYTES decoded) round-trip', () => {
    const samples = Array.from({ length: 100 }, (_, i) => ({ currentUa: -1 - i, voltageMv: 0x01010101 + i }));
    const m: Message = { type: 'telemetry', seq: 9, channel: 3, firstSampleMs: 0xffffffff, sampleIntervalUs: 0xffff, samples };
    const wire = encodeFrame(m);
    expect(wire.length).toBeGreaterThan(800);
    expect(wire.length).toBeLessThanOrEqual(MAX_FRAME_BYTES + 6);
    expect(decodeAll(wire).messages).toEqual([m]);
  });
});
