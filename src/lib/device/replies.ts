/**
 * Which board message answers which request (PROTOCOL.md): HELLO/GET_INFO → INFO, GET_STATUS → STATUS,
 * MEASURE_IMPEDANCE → IMPEDANCE, every other request → ACK of its type; any request may get a NACK of its
 * type. And the field-by-field comparison of an ACK's echo with what was sent.
 */
import { PROGRAM_FIELDS, type AckEcho, type BoardMessage, type HostMessage, type Program } from '../../../firmware-protocol/src/index.ts';

export type ReplyMessage = Extract<BoardMessage, { replyTo: number }>;

/** Whether `reply` is a well-formed answer to `request` (right type; ACK/NACK naming the request's type). */
export function answers(request: HostMessage, reply: ReplyMessage): boolean {
  switch (reply.type) {
    case 'nack':
      return reply.rejectedType === request.type;
    case 'info':
      return request.type === 'hello' || request.type === 'getInfo';
    case 'status':
      return request.type === 'getStatus';
    case 'impedance':
      return request.type === 'measureImpedance' && reply.channel === request.channel;
    case 'ack':
      return reply.ackedType === request.type && request.type !== 'hello' && request.type !== 'getInfo' && request.type !== 'getStatus' && request.type !== 'measureImpedance';
  }
}


/** Fields where a SET_PROGRAM echo differs from the program sent, as "field sent X, echoed Y". */
export function programEchoDiff(sent: Program, echo: AckEcho): string[] {
  if (echo.kind !== 'program') return [`echo kind: expected program, got ${echo.kind}`];
  const out: string[] = [];
  for (const f of PROGRAM_FIELDS) {
    if (sent[f] !== echo.program[f]) out.push(`${f} sent ${String(sent[f])}, echoed ${String(echo.program[f])}`);
  }
  return out;
}

/** Fields where a SET_AMPLITUDE echo differs from what was sent. */
export function amplitudeEchoDiff(sent: { channel: number; amplitudeUa: number }, echo: AckEcho): string[] {
  if (echo.kind !== 'amplitude') return [`echo kind: expected amplitude, got ${echo.kind}`];
  const out: string[] = [];
  if (echo.channel !== sent.channel) out.push(`channel sent ${sent.channel}, echoed ${echo.channel}`);
  if (echo.amplitudeUa !== sent.amplitudeUa) out.push(`amplitudeUa sent ${sent.amplitudeUa}, echoed ${echo.amplitudeUa}`);
  return out;
}
