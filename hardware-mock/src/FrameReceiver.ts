/**
 * The board's receive path: bytes in, one frame at a time, through firmware-protocol's FrameDecoder.
 * Frames are handed on one by one in arrival order (a chunk holding an ESTOP and a malformed frame is
 * answered in order), and frames the decoder drops after a good CRC are classified for a NACK:
 *   - a known request type with a body of the wrong length   → badLength (value = got, bound = expected)
 *   - a setProgram with an unknown mode or waveform code     → badEnum   (field mode / waveform)
 *   - a header version the decoder does not speak            → unsupportedVersion (field version)
 * An unknown type code gets no NACK: the v1 NACK names the rejected type by its code, and an unknown
 * code cannot be echoed. CRC, COBS and length drops are counted only: nothing in them can be trusted.
 */
import {
  CRC_BYTES,
  FrameDecoder,
  HEADER_BYTES,
  MAX_ENCODED_FRAME_BYTES,
  MAX_FRAME_BYTES,
  MODES,
  PROGRAM_BYTES,
  SUPPORTED_VERSIONS,
  TYPE_CODES,
  WAVEFORMS,
  cobsDecodeInto,
  nameOfCode,
  type DroppedFrameInfo,
  type FieldName,
  type Message,
  type MessageType,
  type NackCode,
} from '../../firmware-protocol/src/index.ts';

export interface RejectedFrame {
  seq: number;
  type: MessageType;
  code: Extract<NackCode, 'badLength' | 'badEnum' | 'unsupportedVersion'>;
  field: FieldName;
  value: number;
  bound: number;
}

/** Body length of each host→board request (PROTOCOL.md message catalogue). */
const REQUEST_BODY_BYTES: Partial<Record<MessageType, number>> = {
  hello: 2,
  getInfo: 0,
  setProgram: PROGRAM_BYTES,
  start: 1,
  stop: 1,
  setAmplitude: 5,
  estop: 0,
  clearFault: 0,
  heartbeat: 0,
  measureImpedance: 1,
  getStatus: 0,
};

export class FrameReceiver {
  readonly #decoder: FrameDecoder;
  /** A copy of the frame's encoded bytes so far, to classify a drop (host→board traffic is small). */
  readonly #tap = new Uint8Array(MAX_ENCODED_FRAME_BYTES);
  #tapLength = 0;
  readonly #scratch = new Uint8Array(MAX_FRAME_BYTES);
  readonly #onMessage: (message: Message) => void;
  readonly #onRejected: (rejected: RejectedFrame) => void;

  constructor(onMessage: (message: Message) => void, onRejected: (rejected: RejectedFrame) => void) {
    this.#onMessage = onMessage;
    this.#onRejected = onRejected;
    this.#decoder = new FrameDecoder({ onDrop: (info) => this.#dropped(info) });
  }

  get drops() {
    return this.#decoder.drops;
  }

  /** Forget a partial frame (brown-out). Counters are kept. */
  reset(): void {
    this.#decoder.reset();
    this.#tapLength = 0;
  }

  push(bytes: Uint8Array): void {
    const n = bytes.length;
    const tap = this.#tap;
    let i = 0;
    while (i < n) {
      const zero = bytes.indexOf(0, i);
      const dataEnd = zero < 0 ? n : zero;
      // Copy byte by byte: frames to the board are short, and this allocates nothing.
      let t = this.#tapLength;
      const stop = Math.min(dataEnd, i + (tap.length - t));
      for (let k = i; k < stop; k++) tap[t++] = bytes[k]!;
      this.#tapLength = t;
      const end = zero < 0 ? n : zero + 1;
      // One write holding exactly one frame is the usual case: hand the chunk over without a view.
      const messages = this.#decoder.push(i === 0 && end === n ? bytes : bytes.subarray(i, end));
      if (zero >= 0) this.#tapLength = 0;
      for (let m = 0; m < messages.length; m++) this.#onMessage(messages[m]!);
      i = end;
    }
  }

  #dropped(info: DroppedFrameInfo): void {
    if (info.seq === undefined || info.typeCode === undefined) return;
    const type = info.type ?? nameOfCode(TYPE_CODES, info.typeCode);
    if (type === undefined) return;
    if (info.reason === 'version') {
      this.#onRejected({ seq: info.seq, type, code: 'unsupportedVersion', field: 'version', value: info.version ?? 0, bound: Math.max(...SUPPORTED_VERSIONS) });
      return;
    }
    if (info.reason !== 'malformed') return;
    const expected = REQUEST_BODY_BYTES[type];
    const rawLength = cobsDecodeInto(this.#tap, 0, this.#tapLength, this.#scratch);
    const bodyLength = rawLength - HEADER_BYTES - CRC_BYTES;
    if (expected === undefined) {
      // A board→host type sent to the board: not something it accepts.
      this.#onRejected({ seq: info.seq, type, code: 'badEnum', field: 'none', value: info.typeCode ?? 0, bound: 0 });
    } else if (rawLength < 0 || bodyLength !== expected) {
      this.#onRejected({ seq: info.seq, type, code: 'badLength', field: 'none', value: Math.max(0, bodyLength), bound: expected });
    } else if (type === 'setProgram') {
      const mode = this.#scratch[HEADER_BYTES + 1]!;
      const waveform = this.#scratch[HEADER_BYTES + 2]!;
      if (mode >= MODES.length) this.#onRejected({ seq: info.seq, type, code: 'badEnum', field: 'mode', value: mode, bound: MODES.length - 1 });
      else this.#onRejected({ seq: info.seq, type, code: 'badEnum', field: 'waveform', value: waveform, bound: WAVEFORMS.length - 1 });
    } else {
      this.#onRejected({ seq: info.seq, type, code: 'badEnum', field: 'none', value: 0, bound: 0 });
    }
  }
}
