/**
 * Consistent Overhead Byte Stuffing (Cheshire & Baker, IEEE/ACM ToN 1999).
 * Encoded data never contains 0x00, so a single 0x00 delimits frames on the wire and a receiver
 * resynchronises at the next 0x00 after any garbage. These functions do NOT add or expect the
 * trailing delimiter; `encodeFrame` adds it.
 */

/** Largest possible COBS output for `n` input bytes: one overhead byte per 254 data bytes, plus one. */
export function cobsMaxEncodedLength(n: number): number {
  return n + Math.floor(n / 254) + 1;
}

/** Encode `src[start,end)` into `dst` at `dstOffset`; returns the number of bytes written. */
export function cobsEncodeInto(src: Uint8Array, start: number, end: number, dst: Uint8Array, dstOffset: number): number {
  let codeIndex = dstOffset;
  let out = dstOffset + 1;
  let code = 1;
  for (let i = start; i < end; i++) {
    const b = src[i]!;
    if (b === 0) {
      dst[codeIndex] = code;
      codeIndex = out++;
      code = 1;
    } else {
      dst[out++] = b;
      code++;
      if (code === 0xff) {
        dst[codeIndex] = code;
        codeIndex = out++;
        code = 1;
      }
    }
  }
  dst[codeIndex] = code;
  return out - dstOffset;
}

/** COBS-encode `bytes` (no trailing delimiter). */
export function cobsEncode(bytes: Uint8Array): Uint8Array {
  const dst = new Uint8Array(cobsMaxEncodedLength(bytes.length));
  const n = cobsEncodeInto(bytes, 0, bytes.length, dst, 0);
  return dst.subarray(0, n).slice();
}

/**
 * Decode `src[start,end)` (no delimiter) into `dst`; returns the decoded length, or -1 when the input
 * is not valid COBS (a zero byte inside, or a code byte pointing past the end). Never throws.
 */
export function cobsDecodeInto(src: Uint8Array, start: number, end: number, dst: Uint8Array): number {
  let out = 0;
  let i = start;
  while (i < end) {
    const code = src[i]!;
    if (code === 0) return -1;
    const blockEnd = i + code;
    if (blockEnd > end) return -1;
    if (out + code - 1 > dst.length) return -1;
    for (let j = i + 1; j < blockEnd; j++) {
      const b = src[j]!;
      if (b === 0) return -1;
      dst[out++] = b;
    }
    i = blockEnd;
    // A block shorter than 0xFF is followed by an implied zero, except at the very end.
    if (code !== 0xff && i < end) {
      if (out >= dst.length) return -1;
      dst[out++] = 0;
    }
  }
  return out;
}

/** Decode COBS bytes (no delimiter). Returns `null` for invalid input; never throws. */
export function cobsDecode(bytes: Uint8Array): Uint8Array | null {
  const dst = new Uint8Array(bytes.length);
  const n = cobsDecodeInto(bytes, 0, bytes.length, dst);
  return n < 0 ? null : dst.subarray(0, n).slice();
}
