/**
 * Streaming frame decoder: feed it any chunking of the byte stream, get whole messages out.
 * Bad frames are dropped and counted by reason; it never throws and never stalls, and it resynchronises
 * at the next 0x00. Buffers are allocated once per decoder; nothing is allocated per byte.
 */
import { readBody, TYPE_BY_CODE } from './codec.ts';
import { cobsDecodeInto } from './cobs.ts';
import { CRC_BYTES, HEADER_BYTES, MAX_ENCODED_FRAME_BYTES, MAX_FRAME_BYTES, SUPPORTED_VERSIONS } from './constants.ts';
import { crc32c } from './crc32c.ts';
import type { Message } from './messages.ts';
import type { MessageType } from './constants.ts';

export type DropReason = 'crc' | 'cobs' | 'length' | 'unknownType' | 'version' | 'malformed';

export type DropCounters = Record<DropReason, number>;

/** What is known about a dropped frame that passed its CRC (so a board can NACK it). */
export interface DroppedFrameInfo {
  reason: DropReason;
  version?: number;
  typeCode?: number;
  type?: MessageType;
  seq?: number;
}

export interface FrameDecoderOptions {
  /** Header versions to accept; others are dropped as 'version'. */
  versions?: readonly number[];
  /** Called for every dropped frame. Must not throw (exceptions are swallowed). */
  onDrop?: (info: DroppedFrameInfo) => void;
}

export class FrameDecoder {
  /** Frames dropped, by reason. */
  readonly drops: DropCounters = { crc: 0, cobs: 0, length: 0, unknownType: 0, version: 0, malformed: 0 };
  /** Frames decoded successfully. */
  framesDecoded = 0;
  /** Bytes consumed. */
  bytesIn = 0;

  readonly #encoded = new Uint8Array(MAX_ENCODED_FRAME_BYTES);
  readonly #decoded = new Uint8Array(MAX_FRAME_BYTES);
  readonly #view = new DataView(this.#decoded.buffer);
  #length = 0;
  /** Set after an over-long frame: discard until the next delimiter. */
  #discarding = false;
  readonly #versions: readonly number[];
  readonly #onDrop: ((info: DroppedFrameInfo) => void) | undefined;

  constructor(options: FrameDecoderOptions = {}) {
    this.#versions = options.versions ?? SUPPORTED_VERSIONS;
    this.#onDrop = options.onDrop;
  }

  /** Total frames dropped for any reason. */
  get droppedTotal(): number {
    const d = this.drops;
    return d.crc + d.cobs + d.length + d.unknownType + d.version + d.malformed;
  }

  /** Forget any partial frame (e.g. after the port was reopened). Counters are kept. */
  reset(): void {
    this.#length = 0;
    this.#discarding = false;
  }

  push(chunk: Uint8Array): Message[] {
    const out: Message[] = [];
    this.bytesIn += chunk.length;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      const zero = chunk.indexOf(0, i);
      const segEnd = zero < 0 ? n : zero;
      if (!this.#discarding) {
        const take = segEnd - i;
        if (this.#length + take > MAX_ENCODED_FRAME_BYTES) {
          this.#drop({ reason: 'length' });
          this.#discarding = true;
          this.#length = 0;
        } else {
          this.#encoded.set(chunk.subarray(i, segEnd), this.#length);
          this.#length += take;
        }
      }
      if (zero < 0) break;
      // Delimiter: finish the frame in hand.
      if (this.#discarding) this.#discarding = false;
      else if (this.#length > 0) {
        const m = this.#finish(this.#length);
        if (m) out.push(m);
      }
      this.#length = 0;
      i = zero + 1;
    }
    return out;
  }

  #finish(encodedLength: number): Message | null {
    const raw = this.#decoded;
    const len = cobsDecodeInto(this.#encoded, 0, encodedLength, raw);
    if (len < 0) return this.#drop({ reason: 'cobs' });
    if (len < HEADER_BYTES + CRC_BYTES || len > MAX_FRAME_BYTES) return this.#drop({ reason: 'length' });
    const v = this.#view;
    const crcAt = len - CRC_BYTES;
    if (crc32c(raw, 0, crcAt) !== v.getUint32(crcAt, true)) return this.#drop({ reason: 'crc' });
    const version = raw[0]!;
    const typeCode = raw[1]!;
    const seq = v.getUint16(2, true);
    if (!this.#versions.includes(version)) return this.#drop({ reason: 'version', version, typeCode, seq });
    const type = TYPE_BY_CODE[typeCode];
    if (type === undefined) return this.#drop({ reason: 'unknownType', version, typeCode, seq });
    const message = readBody(type, v, HEADER_BYTES, crcAt - HEADER_BYTES, seq);
    if (!message) return this.#drop({ reason: 'malformed', version, typeCode, type, seq });
    this.framesDecoded++;
    return message;
  }

  #drop(info: DroppedFrameInfo): null {
    this.drops[info.reason]++;
    if (this.#onDrop) {
      try {
        this.#onDrop(info);
      } catch {
        // A faulty hook must not break decoding.
      }
    }
    return null;
  }
}
