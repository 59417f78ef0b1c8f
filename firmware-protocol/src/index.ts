/** firmware-protocol: the StimBench wire protocol v1. Pure TypeScript: no I/O, no dependencies. */
export { crc32c } from './crc32c.ts';
export { cobsEncode, cobsDecode, cobsEncodeInto, cobsDecodeInto, cobsUnstuffInPlace, cobsMaxEncodedLength } from './cobs.ts';
export * from './constants.ts';
export * from './program.ts';
export type * from './messages.ts';
export * from './limits.ts';
export * from './validate.ts';
export * from './rmsLimit.ts';
export * from './chargeLimit.ts';
export * from './errors.ts';
export { encodeFrame, type EncodeOptions } from './encodeFrame.ts';
export { FrameDecoder, type DropReason, type DropCounters, type DroppedFrameInfo, type FrameDecoderOptions } from './FrameDecoder.ts';
export { CODECS, PROGRAM_BYTES, readProgram, writeProgram } from './codec.ts';
