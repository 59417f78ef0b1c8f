/**
 * Device events as record events, kept out of the engine's state machine: which command replies belong
 * in a session's record (commands that change output, on its channel or on every channel), and how a
 * thrown error is written into one.
 */
import { ALL_CHANNELS, type HostMessage } from '../../../firmware-protocol/src/index.ts';
import type { CommandEvent } from '../device/types.ts';
import type { RecordEventBody } from './recordTypes.ts';

const RELEVANT_COMMANDS = new Set<HostMessage['type']>(['setProgram', 'start', 'stop', 'setAmplitude', 'estop', 'clearFault']);

function requestChannel(message: HostMessage): number | null {
  switch (message.type) {
    case 'setProgram':
      return message.program.channel;
    case 'start':
    case 'stop':
    case 'setAmplitude':
      return message.channel;
    default:
      return null;
  }
}

/** The record event for an answer (ACK, NACK, timeout) to a request, or null when it is not this session's. */
export function replyEventBody(event: CommandEvent, sessionChannel: number | undefined): RecordEventBody | null {
  if (event.kind === 'sent' || event.kind === 'reply') return null;
  const request = event.request;
  if (!RELEVANT_COMMANDS.has(request.type)) return null;
  const channel = requestChannel(request);
  if (channel !== null && channel !== ALL_CHANNELS && channel !== sessionChannel) return null;
  if (event.kind === 'ack') return { kind: 'ack', command: request.type, seq: request.seq, rttMs: event.rttMs, echo: event.ack.echo };
  if (event.kind === 'nack') {
    const n = event.nack;
    return { kind: 'nack', command: request.type, seq: request.seq, code: n.code, field: n.field, value: n.value, bound: n.bound };
  }
  return { kind: 'timeout', command: request.type, seq: request.seq, attempt: event.attempt };
}

/** A thrown value as the fields of a command-error event: the error's class, its code and its message. */
export function errorInfo(error: unknown): { errorName: string; errorCode: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { errorName: error.name, errorCode: typeof code === 'string' ? code : 'UNKNOWN', message: error.message };
  }
  return { errorName: 'Error', errorCode: 'UNKNOWN', message: String(error) };
}
