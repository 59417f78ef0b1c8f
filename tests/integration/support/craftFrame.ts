/**
 * Build a frame byte by byte, the way a buggy or hostile host could, without encodeFrame's validation:
 * header (version, type, seq), body, CRC-32C, COBS, 0x00 — the framing of PROTOCOL.md.
 */
import { PROGRAM_BYTES, TYPE_CODES, cobsEncode, crc32c, writeProgram, type Program } from '../../../firmware-protocol/src/index.ts';

export function craftFrame(typeCode: number, seq: number, body: Uint8Array, version = 1): Uint8Array {
  const raw = new Uint8Array(4 + body.length + 4);
  const v = new DataView(raw.buffer);
  v.setUint8(0, version);
  v.setUint8(1, typeCode);
  v.setUint16(2, seq, true);
  raw.set(body, 4);
  v.setUint32(4 + body.length, crc32c(raw, 0, 4 + body.length), true);
  const encoded = cobsEncode(raw);
  const out = new Uint8Array(encoded.length + 1);
  out.set(encoded);
  return out;
}

/** SET_PROGRAM with whatever numbers are given (writeProgram checks wire widths only, not limits). */
export function craftSetProgram(seq: number, program: Program): Uint8Array {
  const body = new Uint8Array(PROGRAM_BYTES);
  writeProgram(new DataView(body.buffer), 0, program);
  return craftFrame(TYPE_CODES.setProgram, seq, body);
}

/** SET_PROGRAM with raw bytes patched in (e.g. an enum code no encoder would write). */
export function craftSetProgramPatched(seq: number, program: Program, patch: (body: Uint8Array) => void): Uint8Array {
  const body = new Uint8Array(PROGRAM_BYTES);
  writeProgram(new DataView(body.buffer), 0, program);
  patch(body);
  return craftFrame(TYPE_CODES.setProgram, seq, body);
}
