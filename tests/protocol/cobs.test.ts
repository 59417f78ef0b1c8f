/** COBS against the published examples (Wikipedia's table), both directions, plus properties. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cobsDecode, cobsDecodeInto, cobsEncode, cobsMaxEncodedLength, cobsUnstuffInPlace } from '../../firmware-protocol/src/index.ts';

const h = (s: string) => Uint8Array.from(s.split(/\s+/).filter(Boolean).map((x) => parseInt(x, 16)));
const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

// https://en.wikipedia.org/wiki/Consistent_Overhead_Byte_Stuffing#Encoding_examples (without the
// trailing 00 delimiter, which encodeFrame adds).
const EXAMPLES: { name: string; raw: Uint8Array; encoded: Uint8Array }[] = [
  { name: '1: 00', raw: h('00'), encoded: h('01 01') },
  { name: '2: 00 00', raw: h('00 00'), encoded: h('01 01 01') },
  { name: '3: 00 11 00', raw: h('00 11 00'), encoded: h('01 02 11 01') },
  { name: '4: 11 22 00 33', raw: h('11 22 00 33'), encoded: h('03 11 22 02 33') },
  { name: '5: 11 22 33 44', raw: h('11 22 33 44'), encoded: h('05 11 22 33 44') },
  { name: '6: 11 00 00 00', raw: h('11 00 00 00'), encoded: h('02 11 01 01 01') },
  { name: '7: 01..FE (254 non-zero bytes)', raw: range(0x01, 0xfe), encoded: cat(h('FF'), range(0x01, 0xfe)) },
  { name: '8: 00..FE (255 bytes)', raw: range(0x00, 0xfe), encoded: cat(h('01 FF'), range(0x01, 0xfe)) },
  { name: '9: 01..FF (255 bytes)', raw: range(0x01, 0xff), encoded: cat(h('FF'), range(0x01, 0xfe), h('02 FF')) },
  { name: '10: 02..FF 00', raw: cat(range(0x02, 0xff), h('00')), encoded: cat(h('FF'), range(0x02, 0xff), h('01 01')) },
  { name: '11: 03..FF 00 01', raw: cat(range(0x03, 0xff), h('00 01')), encoded: cat(h('FE'), range(0x03, 0xff), h('02 01')) },
];

describe('COBS published examples', () => {
  for (const ex of EXAMPLES) {
    test(`encode ${ex.name}`, () => {
      expect([...cobsEncode(ex.raw)]).toEqual([...ex.encoded]);
    });
    test(`decode ${ex.name}`, () => {
      expect([...(cobsDecode(ex.encoded) ?? [])]).toEqual([...ex.raw]);
    });
    test(`decode in place ${ex.name}`, () => {
      const buf = new Uint8Array(ex.encoded.length + 1);
      buf.set(ex.encoded);
      const n = cobsUnstuffInPlace(buf, ex.encoded.length);
      expect([...buf.subarray(1, 1 + n)]).toEqual([...ex.raw]);
    });
  }
  test('empty input encodes to a single 01 and back', () => {
    expect([...cobsEncode(new Uint8Array(0))]).toEqual([1]);
    expect(cobsDecode(h('01'))?.length).toBe(0);
  });
});

describe('COBS invalid input', () => {
  test('a code byte pointing past the end is refused (null / -1), never thrown', () => {
    expect(cobsDecode(h('05 11 22'))).toBeNull();
    expect(cobsDecode(h('FF 01'))).toBeNull();
    expect(cobsUnstuffInPlace(h('05 11 22 00'), 3)).toBe(-1);
  });
  test('a zero byte inside the encoded data is refused', () => {
    expect(cobsDecode(h('03 11 00 22'))).toBeNull();
    expect(cobsDecode(h('00'))).toBeNull();
  });
  test('cobsDecodeInto refuses output that does not fit its destination', () => {
    expect(cobsDecodeInto(h('05 11 22 33 44'), 0, 5, new Uint8Array(3))).toBe(-1);
    expect(cobsDecodeInto(h('05 11 22 33 44'), 0, 5, new Uint8Array(4))).toBe(4);
  });
});

describe('COBS properties', () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 1100 }),
    // Long non-zero runs exercise the 0xFF blocks.
    fc.uint8Array({ min: 1, maxLength: 1100 }),
    fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 255 })), { maxLength: 600 }).map((a) => Uint8Array.from(a)),
  );
  test('decode(encode(x)) = x, the encoding holds no 00 and stays within cobsMaxEncodedLength', () => {
    fc.assert(
      fc.property(bytes, (raw) => {
        const enc = cobsEncode(raw);
        expect(enc.includes(0)).toBe(false);
        expect(enc.length).toBeLessThanOrEqual(cobsMaxEncodedLength(raw.length));
        expect([...(cobsDecode(enc) ?? [0xdead])]).toEqual([...raw]);
      }),
      { numRuns: 300 },
    );
  });
  test('overhead is exactly one byte per started 254-byte run (canonical encoding)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), (n) => {
        const raw = new Uint8Array(n).fill(0x55);
        return cobsEncode(raw).length === n + Math.max(1, Math.ceil(n / 254));
      }),
    );
  });
  test('in-place un-stuffing agrees with cobsDecode on any bytes without 00, valid or not', () => {
    fc.assert(
      fc.property(fc.oneof(bytes.map((r) => cobsEncode(r)), fc.uint8Array({ min: 1, minLength: 1, maxLength: 600 })), (enc) => {
        const ref = cobsDecode(enc);
        const buf = new Uint8Array(enc.length + 1);
        buf.set(enc);
        const n = cobsUnstuffInPlace(buf, enc.length);
        if (ref === null) return n === -1;
        return n === ref.length && buf.subarray(1, 1 + n).every((b, i) => b === ref[i]);
      }),
      { numRuns: 500 },
    );
  });
});
