/** Message → wire bytes: header, body, CRC-32C, COBS, trailing 0x00. */
import { bodySize, writeBody } from './codec.ts';
import { cobsEncodeInto, cobsMaxEncodedLength } from './cobs.ts';
import { CRC_BYTES, HEADER_BYTES, MAX_BODY_BYTES, PROTOCOL_VERSION, TYPE_CODES } from './constants.ts';
import { crc32c } from './crc32c.ts';
import { EncodeError, ProgramRejectedError } from './errors.ts';
import type { Message } from './messages.ts';
import { validateProgram, type ValidationContext } from './validate.ts';

export interface EncodeOptions {
  /** Header version byte; defaults to PROTOCOL_VERSION. */
  version?: number;
  /** Limits context (board caps, lab cap, electrode area) for validating a setProgram. */
  validation?: ValidationContext;
}

/**
 * Encode a message into complete wire bytes, including the trailing 0x00 delimiter.
 * Throws EncodeError when a field does not fit its wire width, and ProgramRejectedError when a
 * setProgram fails validateProgram: in both cases no bytes exist to be sent.
 */
export function encodeFrame(message: Message, options: EncodeOptions = {}): Uint8Array {
  if (message.type === 'setProgram') {
    const result = validateProgram(message.program, options.validation);
    if (!result.ok) throw new ProgramRejectedError(result.violations);
  }
  const seq = message.seq;
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xffff) throw new EncodeError('seq', 'integer 0–65535', seq);
  const version = options.version ?? PROTOCOL_VERSION;
  const body = bodySize(message);
  if (body > MAX_BODY_BYTES) throw new EncodeError('body', `at most ${MAX_BODY_BYTES} bytes`, body);
  const rawLength = HEADER_BYTES + body + CRC_BYTES;
  const raw = new Uint8Array(rawLength);
  const view = new DataView(raw.buffer);
  view.setUint8(0, version);
  view.setUint8(1, TYPE_CODES[message.type]);
  view.setUint16(2, seq, true);
  writeBody(view, HEADER_BYTES, message);
  view.setUint32(HEADER_BYTES + body, crc32c(raw, 0, HEADER_BYTES + body), true);
  const out = new Uint8Array(cobsMaxEncodedLength(rawLength) + 1);
  const n = cobsEncodeInto(raw, 0, rawLength, out, 0);
  out[n] = 0;
  return out.subarray(0, n + 1);
}
