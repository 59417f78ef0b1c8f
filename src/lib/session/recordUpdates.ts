/**
 * How a record's header changes when it is closed or rated, in one place: every store that implements
 * SessionRecordPort (IndexedDB in the browser, the file journal in Node) applies these and only persists
 * the result, so the two can never disagree on what a closed or rated record is.
 */
import { StorageError } from './recordErrors.ts';
import type { CloseRecordInput } from './recordPorts.ts';
import type { SessionRecord } from './recordTypes.ts';

/** The closed header for `record`; refuses a missing record or one already closed. */
export function closedRecord(recordId: string, record: SessionRecord | undefined, input: CloseRecordInput): SessionRecord {
  if (!record) throw new StorageError('RECORD_NOT_FOUND', `cannot close record ${recordId}: expected an open record, got none`);
  if (record.status === 'closed') throw new StorageError('RECORD_CLOSED', `cannot close record ${recordId}: it is already closed (${record.outcome})`);
  return {
    ...record,
    status: 'closed',
    outcome: input.outcome,
    stopReason: input.stopReason,
    outcomeMessage: input.message,
    endedMonoMs: input.endedMonoMs,
    endedWallMs: input.endedWallMs,
    dose: input.dose,
    targetUa: input.targetUa,
    eventCount: input.eventCount,
    summaryChunkCount: input.summaryChunkCount,
  };
}

/** A pain rating must be an integer NRS from 0 to 10 (RangeError otherwise). */
export function checkPainNrs(nrs: number): void {
  if (!Number.isInteger(nrs) || nrs < 0 || nrs > 10) throw new RangeError(`pain rating must be an integer NRS from 0 to 10, got ${String(nrs)}`);
}

/** The header after a pain rating: the rating set, and one more event counted once the record is closed. */
export function withPain(record: SessionRecord, when: 'pre' | 'post', nrs: number): SessionRecord {
  return { ...record, pain: { ...record.pain, [when]: nrs }, eventCount: record.eventCount === null ? null : record.eventCount + 1 };
}
