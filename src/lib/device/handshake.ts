/**
 * HELLO and its answer: the protocol versions this host speaks, and the typed refusal when the board
 * speaks another (a NACK unsupportedVersion, an INFO naming another version, or a CRC-valid frame in
 * another header version while HELLO is out).
 */
import { PROTOCOL_VERSION, SUPPORTED_VERSIONS, type DroppedFrameInfo, type HostMessage, type InfoMessage } from '../../../firmware-protocol/src/index.ts';
import { IncompatibleFirmwareError, NackError } from './errors.ts';
import type { ReplyMessage } from './replies.ts';

const EXPECTED = { min: PROTOCOL_VERSION, max: PROTOCOL_VERSION };

/** Send HELLO through `request` and return the board's INFO, or throw IncompatibleFirmwareError. */
export async function hello(request: (message: HostMessage, flags: { hello?: boolean }) => Promise<ReplyMessage>, seq: number): Promise<InfoMessage> {
  let info: InfoMessage;
  try {
    info = (await request({ type: 'hello', seq, minVersion: PROTOCOL_VERSION, maxVersion: PROTOCOL_VERSION }, { hello: true })) as InfoMessage;
  } catch (error) {
    if (error instanceof NackError && error.nack.code === 'unsupportedVersion') {
      const got = error.nack.bound > 0 ? { min: error.nack.bound, max: error.nack.bound } : { min: error.nack.value, max: error.nack.value };
      throw new IncompatibleFirmwareError(EXPECTED, got, `HELLO refused: NACK unsupportedVersion (value ${error.nack.value}, bound ${error.nack.bound})`);
    }
    throw error;
  }
  if (!SUPPORTED_VERSIONS.includes(info.protocolVersion) || info.protocolVersion < EXPECTED.min || info.protocolVersion > EXPECTED.max) {
    throw new IncompatibleFirmwareError(EXPECTED, { min: info.protocolVersion, max: info.protocolVersion }, 'INFO names a protocol version this app does not speak');
  }
  return info;
}

/** The error for a frame dropped while HELLO is out, when it shows the board speaks another version; else null. */
export function versionDropError(drop: DroppedFrameInfo): IncompatibleFirmwareError | null {
  if (drop.reason !== 'version' || drop.version === undefined) return null;
  return new IncompatibleFirmwareError(EXPECTED, { min: drop.version, max: drop.version }, `the board answered in protocol version ${drop.version}`);
}
