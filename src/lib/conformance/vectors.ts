/**
 * The golden vectors (firmware-protocol/vectors/, normative per PROTOCOL.md § 15), imported as JSON
 * modules so the suite needs no file system and runs in the browser as in Node.
 */
import type { BoardCaps, DropCounters, Message, Program } from '../../../firmware-protocol/src/index.ts';
import malformedJson from '../../../firmware-protocol/vectors/malformed.json' with { type: 'json' };
import messagesJson from '../../../firmware-protocol/vectors/messages.json' with { type: 'json' };
import programsJson from '../../../firmware-protocol/vectors/programs-invalid.json' with { type: 'json' };

export interface MessageVector {
  name: string;
  description: string;
  hex: string;
  message: Message;
}
export interface MalformedVector {
  name: string;
  description: string;
  chunksHex: string[];
  expectMessages: Message[];
  expectDrops: DropCounters;
}
export interface ProgramVector {
  name: string;
  description: string;
  program: Program;
  context: { caps?: Partial<BoardCaps>; labCap?: unknown; electrodeAreaCm2?: number };
  board: { refuses: boolean; fields: string[] };
  programHex?: string;
}

export const MESSAGE_VECTORS = (messagesJson as unknown as { vectors: MessageVector[] }).vectors;
export const MALFORMED_VECTORS = (malformedJson as unknown as { vectors: MalformedVector[] }).vectors;
export const PROGRAM_VECTORS = (programsJson as unknown as { vectors: ProgramVector[] }).vectors;

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
