/**
 * One line of words for each kind of record event, for the timeline. Commands show what was sent;
 * ACKs show the board's echo (what it will really play), so a reader can check the two match.
 */
import type { AckEcho } from '../../../../firmware-protocol/src/index.ts';
import type { RecordEvent, RecordEventKind } from '../../../lib/session/recordTypes.ts';
import { formatMa } from '../../format.ts';
import { FAULT_WORDS, NACK_WORDS } from '../../errorWords.ts';
import { formatChannel, formatSpan, programLine } from './formatRecord.ts';
import { OUTCOME_LOOK, STOP_REASON_TEXT, outcomeDetail } from './outcomeText.ts';

export const EVENT_KIND_LABEL: Record<RecordEventKind, string> = {
  user: 'User action',
  phase: 'Phase',
  command: 'Command sent',
  ack: 'ACK',
  nack: 'NACK (refused)',
  timeout: 'Timeout',
  'command-error': 'Command error',
  fault: 'Fault',
  connection: 'Connection',
  'board-status': 'Board status',
  override: 'Override',
  limit: 'Limit',
  reminder: 'Reminder',
  pain: 'Pain rating',
  warning: 'Warning',
  interrupted: 'Interrupted',
  outcome: 'Outcome',
};

/** Kinds that deserve attention in the timeline (shown with a marker, not only colour). */
export const NOTABLE_KINDS: ReadonlySet<RecordEventKind> = new Set(['nack', 'timeout', 'command-error', 'fault', 'override', 'limit', 'interrupted', 'warning']);

function echoText(echo: AckEcho): string {
  switch (echo.kind) {
    case 'none':
      return 'no echo';
    case 'program':
      return `echo: ${programLine(echo.program)}`;
    case 'amplitude':
      return `echo: ${formatMa(echo.amplitudeUa)} on ${formatChannel(echo.channel)}`;
  }
}

export function describeEvent(e: RecordEvent): string {
  switch (e.kind) {
    case 'user':
      return `${e.action}${e.valueUa !== undefined ? ` (${formatMa(e.valueUa)})` : ''}`;
    case 'phase':
      return `${e.from} → ${e.to}`;
    case 'command': {
      const what = e.program ? `: ${programLine(e.program)}` : e.amplitudeUa !== undefined ? `: ${formatMa(e.amplitudeUa)}` : '';
      return `${e.command} on ${formatChannel(e.channel)}${what}`;
    }
    case 'ack':
      return `${e.command} accepted (seq ${e.seq}, round trip ${e.rttMs.toFixed(1)} ms); ${echoText(e.echo)}`;
    case 'nack':
      return `${e.command} refused by the board: ${nackWords(e)} (code ${e.code}, seq ${e.seq}, field ${e.field}, value ${e.value}, bound ${e.bound})`;
    case 'timeout':
      return `${e.command} got no reply (seq ${e.seq}, attempt ${e.attempt})`;
    case 'command-error':
      return `${e.command} failed: ${e.errorName} ${e.errorCode}: ${e.message}`;
    case 'fault':
      return `${e.channel !== null ? `${formatChannel(e.channel)}: ` : ''}${FAULT_WORDS[e.code as keyof typeof FAULT_WORDS] ?? 'Fault.'} (${e.source} fault code ${String(e.code)}${e.detail !== undefined ? `, detail ${e.detail}` : ''}: ${e.message})`;
    case 'connection':
      return `${e.previous} → ${e.state}`;
    case 'board-status':
      return `${formatChannel(e.channel)} ${e.state}, ${formatMa(e.amplitudeUa)} heading to ${formatMa(e.targetUa)}, ${formatSpan(e.elapsedMs)} since start${e.fault ? `, fault ${e.fault}` : ''}`;
    case 'override':
      return `${e.what} limit raised to ${(e.limitUaPerCm2 / 1000).toFixed(2)} mA/cm² (default ${(e.defaultUaPerCm2 / 1000).toFixed(2)} mA/cm²)${e.channel !== undefined ? ` on ${formatChannel(e.channel)}` : ''}${e.reason ? `; reason: ${e.reason}` : ''}`;
    case 'limit':
      return `${e.limit}: ${e.message} (${formatSpan(e.valueMs)})`;
    case 'reminder':
      return `move the electrodes: ${formatSpan(e.siteMs)} on this site`;
    case 'pain':
      return `${e.when === 'pre' ? 'before' : 'after'} the session: ${e.nrs} / 10 (NRS)`;
    case 'warning':
      return e.message;
    case 'interrupted':
      return e.message;
    case 'outcome':
    {
      const detail = outcomeDetail(e.outcome, e.message, e.stopReason);
      return `${OUTCOME_LOOK[e.outcome].label}${e.stopReason ? ` (${STOP_REASON_TEXT[e.stopReason]})` : ''}${detail ? `: ${detail}` : ''}`;
    }
  }
}

/** A recorded NACK in words (the record keeps the reply's fields; the sentence needs them as a NACK). */
function nackWords(e: Extract<RecordEvent, { kind: 'nack' }>): string {
  const words = NACK_WORDS[e.code];
  return words ? words({ type: 'nack', seq: e.seq, replyTo: e.seq, rejectedType: e.command, code: e.code, field: e.field, value: e.value, bound: e.bound }) : 'refused.';
}
