/** Message → wire bytes: header, body, CRC-32C, COBS, trailing 0x00. */
import { bodySize, writeBody } from './codec.ts';
import { cobsEncodeInto, cobsMaxEncodedLength } from './cobs.ts';
import { CRC_BYTES, HEADER_BYTES, MAX_BODY_BYTES, MAX_FRAME_BYTES, PROTOCOL_VERSION, TYPE_CODES } from './constants.ts';
import { crc32c } from './crc32c.ts';
import { EncodeError, ProgramRejectedError } from './errors.ts';
import type { Message } from './messages.ts';
import type { Program } from './program.ts';
import { validateAmplitudeChange, validateProgram, type ValidationContext } from './validate.ts';

export interface EncodeOptions {
  /** Header version byte; defaults to PROTOCOL_VERSION. */
  version?: number;
  /** Limits context (board caps, lab cap, electrode area) for validating a setProgram or setAmplitude. */
  validation?: ValidationContext;
  /**
   * The program running on the channel of a setAmplitude. When given, the new amplitude is validated
   * against it (validateAmplitudeChange) and an out-of-limit one is refused like a program: nothing is
   * encoded. Optional, because only the caller knows which program the board is playing.
   */
  activeProgram?: Program;
}

/**
 * Encode a message into complete wire bytes, including the trailing 0x00 delimiter.
 * Throws EncodeError when a field does not fit its wire width, and ProgramRejectedError when a
 * setProgram fails validateProgram (or a setAmplitude fails validateAmplitudeChange against
 * `options.activeProgram`): in both cases no bytes exist to be sent.
 */
export function encodeFrame(message: Message, options: EncodeOptions = {}): Uint8Array {
  if (message.type === 'setProgram') {
    const result = validateProgram(message.program, options.validation);
    if (!result.ok) throw new ProgramRejectedError(result.violations);
  } else if (message.type === 'setAmplitude' && options.activeProgram !== undefined) {
    const program = options.activeProgram;
    if (program.channel !== message.channel) throw new EncodeError('channel', `the active program's channel ${program.channel}`, message.channel);
    const result = validateAmplitudeChange(program, message.amplitudeUa, options.validation);
    if (!result.ok) throw new ProgramRejectedError(result.violations);
  }
  const seq = message.seq;
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xffff) throw new EncodeError('seq', 'integer 0–65535', seq);
  const version = options.version ?? PROTOCOL_VERSION;
  if (!Number.isInteger(version) || version < 0 || version > 0xff) throw new EncodeError('version', 'integer 0–255', version);
  const body = bodySize(message);
  // `!(body <= max)` also catches NaN from a malformed variable-length field (e.g. a non-string serial).
  if (!Number.isInteger(body) || !(body <= MAX_BODY_BYTES)) throw new EncodeError('body', `at most ${MAX_BODY_BYTES} bytes`, body);
  const rawLength = HEADER_BYTES + body + CRC_BYTES;
  // Build in the module's scratch buffers (encodeFrame is synchronous and never re-entered), then copy
  // out exactly the wire bytes: one allocation per frame, and the result owns its whole ArrayBuffer.
  const raw = RAW;
  const view = RAW_VIEW;
  view.setUint8(0, version);
  view.setUint8(1, TYPE_CODES[message.type]);
  view.setUint16(2, seq, true);
  writeBody(view, HEADER_BYTES, message);
  view.setUint32(HEADER_BYTES + body, crc32c(raw, 0, HEADER_BYTES + body), true);
  const n = cobsEncodeInto(raw, 0, rawLength, ENCODED, 0);
  ENCODED[n] = 0;
  return ENCODED.slice(0, n + 1);
}

const RAW = new Uint8Array(MAX_FRAME_BYTES);
const RAW_VIEW = new DataView(RAW.buffer);
const ENCODED = new Uint8Array(cobsMaxEncodedLength(MAX_FRAME_BYTES) + 1);
