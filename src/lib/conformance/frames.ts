/**
 * Frames no honest encoder writes: a SET_PROGRAM patched at the byte level (CRC recomputed, so only the
 * board's own limit checks can refuse it), and frames broken on purpose (bad CRC, cut short, over-long).
 */
import { CRC_BYTES, HEADER_BYTES, PROGRAM_BYTES, TYPE_CODES, cobsDecode, cobsEncode, crc32c, encodeFrame, type Program } from '../../../firmware-protocol/src/index.ts';

/** COBS + delimiter around a decoded frame whose CRC is recomputed first. */
export function reframe(decoded: Uint8Array): Uint8Array {
  const raw = decoded.slice();
  new DataView(raw.buffer).setUint32(raw.length - CRC_BYTES, crc32c(raw, 0, raw.length - CRC_BYTES), true);
  const encoded = cobsEncode(raw);
  const out = new Uint8Array(encoded.length + 1);
  out.set(encoded);
  return out;
}

/** The decoded bytes (header, body, CRC) of a valid SET_PROGRAM. */
export function setProgramDecoded(seq: number, program: Program): Uint8Array {
  const wire = encodeFrame({ type: 'setProgram', seq, program });
  const decoded = cobsDecode(wire.subarray(0, wire.length - 1));
  if (!decoded) throw new Error('encodeFrame produced a frame that does not COBS-decode');
  return decoded;
}

/** One byte-level patch of the PROGRAM block: `size` bytes little-endian at `offset` (PROTOCOL.md § 7). */
export interface ProgramPatch {
  offset: number;
  size: 1 | 2 | 4;
  value: number;
}

export function patchedSetProgram(seq: number, program: Program, patch: ProgramPatch): Uint8Array {
  const decoded = setProgramDecoded(seq, program);
  const view = new DataView(decoded.buffer, decoded.byteOffset + HEADER_BYTES, PROGRAM_BYTES);
  if (patch.size === 1) view.setUint8(patch.offset, patch.value);
  else if (patch.size === 2) view.setUint16(patch.offset, patch.value, true);
  else view.setUint32(patch.offset, patch.value, true);
  return reframe(decoded);
}

/** A header + body + CRC frame with any type code and body (CRC valid). */
export function craftFrame(typeCode: number, seq: number, body: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const raw = new Uint8Array(HEADER_BYTES + body.length + CRC_BYTES);
  const v = new DataView(raw.buffer);
  v.setUint8(0, version);
  v.setUint8(1, typeCode);
  v.setUint16(2, seq, true);
  raw.set(body, HEADER_BYTES);
  return reframe(raw);
}

/** A HEARTBEAT with its last encoded byte changed: a CRC drop (or a COBS drop if that byte is a code byte). */
export function badCrcHeartbeat(seq: number): Uint8Array {
  const frame = encodeFrame({ type: 'heartbeat', seq }).slice();
  const i = frame.length - 2;
  // Never 0x00, which would be a delimiter: b ^ 2 is 0 only for b = 2, and then 1 differs from it.
  frame[i] = frame[i]! ^ 0x02 || 0x01;
  return frame;
}

/** A HEARTBEAT cut short: its last encoded bytes lost, delimiter kept (a COBS or CRC drop). */
export function truncatedHeartbeat(seq: number): Uint8Array {
  const frame = encodeFrame({ type: 'heartbeat', seq });
  const out = frame.slice(0, frame.length - 3);
  out[out.length - 1] = 0;
  return out;
}

/** A START whose body is 2 bytes instead of 1: CRC valid, NACKed badLength, not a valid frame (§ 2, § 14). */
export function badLengthStart(seq: number): Uint8Array {
  return craftFrame(TYPE_CODES.start, seq, Uint8Array.of(0, 0));
}
