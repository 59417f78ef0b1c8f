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

/**
 * Encode `src[start,end)` into `dst` at `dstOffset`; returns the number of bytes written.
 * Canonical COBS as published (Cheshire & Baker; the examples on Wikipedia's COBS page): a full 0xFF
 * block that ends exactly at the end of the input is NOT followed by an extra 0x01 code byte.
 */
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
        code = 1;
        // Open a new block only if input remains; otherwise the 0xFF block ends the encoding.
        if (i + 1 === end) return out - dstOffset;
        codeIndex = out++;
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

/**
 * Decode a COBS frame in place, for the streaming decoder's hot path. `buf[0, length)` holds the encoded
 * bytes (no delimiter); on success the decoded bytes are `buf[1, 1 + result)`. Returns -1 when a code
 * byte points past the end (a delimiter cut a block short). Never throws, never allocates.
 *
 * Why this works: a block `c, d1 … d(c-1)` decodes to its data followed by a zero (unless c = 0xFF or it
 * is the last block), and that zero lands exactly where the next code byte sits. So the decoding is the
 * encoded bytes shifted by one, with each later code byte replaced by 0. Only the code bytes are visited
 * (one per block); after a 0xFF block the next code byte is removed instead (a copyWithin, rare: it
 * needs 254 non-zero bytes in a row).
 */
export function cobsUnstuffInPlace(buf: Uint8Array, length: number): number {
  let end = length;
  let p = 0;
  let code = buf[0]!;
  for (;;) {
    const next = p + code;
    if (next > end) return -1;
    if (next === end) return end - 1;
    const nextCode = buf[next]!;
    if (code !== 0xff) {
      buf[next] = 0;
      p = next;
    } else {
      buf.copyWithin(next, next + 1, end);
      end--;
      // The removed code byte's block now starts at `next`, so its (virtual) code position is next - 1.
      p = next - 1;
    }
    code = nextCode;
  }
}
