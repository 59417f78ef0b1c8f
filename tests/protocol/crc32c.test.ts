/** CRC-32C against published check values and a bit-by-bit reference, at every length and offset. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { crc32c } from '../../firmware-protocol/src/index.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

/** The definition, one bit at a time (reflected poly 0x82F63B78, init and xor-out 0xFFFFFFFF). */
function crc32cBitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c check values', () => {
  test('"123456789" → 0xE3069283 (the CRC-32C check value)', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  });
  test('empty input → 0x00000000', () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });
  // RFC 3720 (iSCSI) appendix B.4: the CRC-32C of these 32-byte patterns.
  test('RFC 3720 B.4: 32 bytes of 0x00 → 0x8A9136AA', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });
  test('RFC 3720 B.4: 32 bytes of 0xFF → 0x62A8AB43', () => {
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });
  test('RFC 3720 B.4: 32 incrementing bytes 00..1F → 0x46DD794E', () => {
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
  });
  test('RFC 3720 B.4: 32 decrementing bytes 1F..00 → 0x113FDB5C', () => {
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });
  test('the result is an unsigned 32-bit integer', () => {
    const c = crc32c(ascii('123456789'));
    expect(c).toBeGreaterThan(0x7fffffff);
    expect(Number.isInteger(c)).toBe(true);
  });
});

describe('crc32c properties', () => {
  test('matches the bit-by-bit definition for any bytes (every length mod 8)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => crc32c(bytes) === crc32cBitwise(bytes)), { numRuns: 500 });
  });
  test('crc32c(bytes, start, end) equals the CRC of that slice', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const s = a % (bytes.length + 1);
        const e = s + (b % (bytes.length - s + 1));
        return crc32c(bytes, s, e) === crc32cBitwise(bytes.subarray(s, e));
      }),
      { numRuns: 500 },
    );
  });
  test('any single flipped bit changes the CRC', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 1024 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (bytes, at, bit) => {
        const flipped = bytes.slice();
        const i = at % bytes.length;
        flipped[i] = flipped[i]! ^ (1 << bit);
        return crc32c(flipped) !== crc32c(bytes);
      }),
    );
  });
});
