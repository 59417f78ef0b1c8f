/**
 * Durable session records in IndexedDB. Every write resolves only when its transaction has committed
 * (`await tx.done`), which is what write-ahead needs: the engine awaits an event before it sends the next
 * command that could raise output. Events and summaries live in their own stores keyed by
 * [recordId, index], so appending never rewrites the record.
 */
import type { IDBPObjectStore } from 'idb';
import { commitAll } from './commitAll.ts';
import { doseFromSummaries } from '../session/doseFromSummaries.ts';
import { StorageError } from '../session/recordErrors.ts';
import type { CloseRecordInput, SessionRecordPort } from '../session/recordPorts.ts';
import { checkPainNrs, closedRecord, withPain } from '../session/recordUpdates.ts';
import type { StimbenchDb, StimbenchSchema } from './openStimbenchDb.ts';
import type {
  ChannelDose,
  FullRecord,
  RecordEvent,
  RecordEventBody,
  SessionOutcome,
  SessionRecord,
  StopReason,
  SummaryChunk,
} from '../session/recordTypes.ts';

const keyRange = (recordId: string) => IDBKeyRange.bound([recordId, 0], [recordId, Number.MAX_SAFE_INTEGER]);

export type { CloseRecordInput };

export class RecordStore implements SessionRecordPort {
  readonly db: StimbenchDb;
  constructor(db: StimbenchDb) {
    this.db = db;
  }

  async createRecord(record: SessionRecord): Promise<SessionRecord> {
    const tx = this.db.transaction('records', 'readwrite');
    await commitAll(tx, (add) => add(tx.store.add(record)));
    return record;
  }

  /** Append one event. Resolves when it is durable. Indexes must be consecutive per record (the recorder assigns them). */
  async appendEvent(event: RecordEvent): Promise<void> {
    const tx = this.db.transaction('events', 'readwrite');
    await commitAll(tx, (add) => add(tx.store.add(event)));
  }

  /** Write (or overwrite: a partial chunk grows) one summary chunk. Resolves when durable. */
  async putSummary(chunk: SummaryChunk): Promise<void> {
    const tx = this.db.transaction('summaries', 'readwrite');
    await commitAll(tx, (add) => add(tx.store.put(chunk)));
  }

  /** Close a record: outcome event, final summaries and header in one transaction (all or nothing). */
  async closeRecord(recordId: string, input: CloseRecordInput): Promise<SessionRecord> {
    const tx = this.db.transaction(['records', 'events', 'summaries'], 'readwrite');
    const records = tx.objectStore('records');
    let closed: SessionRecord;
    try {
      closed = closedRecord(recordId, await records.get(recordId), input);
    } catch (error) {
      abandon(tx);
      throw error;
    }
    const summaries = tx.objectStore('summaries');
    await commitAll(tx, (add) => {
      add(tx.objectStore('events').add(input.outcomeEvent));
      for (const chunk of input.summaries) add(summaries.put(chunk));
      add(records.put(closed));
    });
    return closed;
  }

  /** Record a pain rating (NRS 0–10): an event and the header, in one transaction. Allowed on closed records (post ratings). */
  async setPain(recordId: string, when: 'pre' | 'post', nrs: number, monoMs: number, wallMs: number): Promise<SessionRecord> {
    checkPainNrs(nrs);
    const tx = this.db.transaction(['records', 'events'], 'readwrite');
    const record = await tx.objectStore('records').get(recordId);
    if (!record) {
      abandon(tx);
      throw new StorageError('RECORD_NOT_FOUND', `no record ${recordId}`);
    }
    const index = await nextIndex(tx.objectStore('events'), recordId);
    const updated = withPain(record, when, nrs);
    await commitAll(tx, (add) => {
      add(tx.objectStore('events').add({ kind: 'pain', when, nrs, recordId, index, monoMs, wallMs }));
      add(tx.objectStore('records').put(updated));
    });
    return updated;
  }

  async getRecord(recordId: string): Promise<SessionRecord | undefined> {
    return this.db.get('records', recordId);
  }

  /** Every record, newest first. */
  async listRecords(): Promise<SessionRecord[]> {
    const all = await this.db.getAllFromIndex('records', 'byCreatedWall');
    return all.reverse();
  }

  async getEvents(recordId: string): Promise<RecordEvent[]> {
    return this.db.getAll('events', keyRange(recordId));
  }

  async getSummaries(recordId: string): Promise<SummaryChunk[]> {
    return this.db.getAll('summaries', keyRange(recordId));
  }

  async getFull(recordId: string): Promise<FullRecord> {
    const tx = this.db.transaction(['records', 'events', 'summaries'], 'readonly');
    const [record, events, summaries] = await Promise.all([
      tx.objectStore('records').get(recordId),
      tx.objectStore('events').getAll(keyRange(recordId)),
      tx.objectStore('summaries').getAll(keyRange(recordId)),
    ]);
    await tx.done;
    if (!record) throw new StorageError('RECORD_NOT_FOUND', `no record ${recordId}`);
    return { record, events, summaries };
  }

  /** Records that may hold stimulation after `wallMs`: closed ones that ended at or after it, and every open one. */
  async recordsTouching(wallMs: number): Promise<SessionRecord[]> {
    const tx = this.db.transaction('records', 'readonly');
    const [ended, open] = await Promise.all([
      tx.store.index('byEndedWall').getAll(IDBKeyRange.lowerBound(wallMs)),
      tx.store.index('byStatus').getAll('open'),
    ]);
    await tx.done;
    return [...ended.filter((r) => r.status === 'closed'), ...open];
  }

  /**
   * On start-up: close every record left open by a crash or reload as `interrupted`, with an event
   * saying so, and its dose recomputed from the stored summaries. Never resumes anything. The end time is
   * set to now (an upper bound on when output could have stopped), so the daily cap never undercounts.
   * Returns the ids closed.
   */
  async recoverInterrupted(nowWallMs: number): Promise<string[]> {
    const open = await this.db.getAllFromIndex('records', 'byStatus', 'open');
    const closed: string[] = [];
    for (const record of open) {
      const tx = this.db.transaction(['records', 'events', 'summaries'], 'readwrite');
      const events = tx.objectStore('events');
      const [lastEventCursor, chunks, fresh] = await Promise.all([
        events.openCursor(keyRange(record.id), 'prev'),
        tx.objectStore('summaries').getAll(keyRange(record.id)),
        tx.objectStore('records').get(record.id),
      ]);
      if (!fresh || fresh.status !== 'open') {
        await tx.done;
        continue;
      }
      const last = lastEventCursor?.value;
      const index = last ? last.index + 1 : 0;
      const lastSeen = last ? `the last event (#${last.index}, ${last.kind}) was at ${new Date(last.wallMs).toISOString()}` : 'no event was written';
      const message = `The app stopped before this session was closed; ${lastSeen}. Closed as interrupted at start-up; never resumed.`;
      const channel = record.plan.program.channel;
      const dose = doseFromSummaries(chunks, channel, record.plan.program);
      const interrupted: RecordEvent = { kind: 'interrupted', message, recordId: record.id, index, monoMs: last?.monoMs ?? record.createdMonoMs, wallMs: nowWallMs };
      const outcome: RecordEvent = {
        kind: 'outcome',
        outcome: 'interrupted',
        stopReason: null,
        message,
        recordId: record.id,
        index: index + 1,
        monoMs: last?.monoMs ?? record.createdMonoMs,
        wallMs: nowWallMs,
      };
      const updated: SessionRecord = {
        ...fresh,
        status: 'closed',
        outcome: 'interrupted',
        stopReason: null,
        outcomeMessage: message,
        endedWallMs: nowWallMs,
        endedMonoMs: null,
        dose: [dose],
        eventCount: index + 2,
        summaryChunkCount: chunks.length,
      };
      await commitAll(tx, (add) => {
        add(events.add(interrupted));
        add(events.add(outcome));
        add(tx.objectStore('records').put(updated));
      });
      closed.push(record.id);
    }
    return closed;
  }

  /** Delete a record and everything that belongs to it. */
  async deleteRecord(recordId: string): Promise<void> {
    const tx = this.db.transaction(['records', 'events', 'summaries'], 'readwrite');
    await commitAll(tx, (add) => {
      add(tx.objectStore('records').delete(recordId));
      add(tx.objectStore('events').delete(keyRange(recordId)));
      add(tx.objectStore('summaries').delete(keyRange(recordId)));
    });
  }
}

async function nextIndex(events: IDBPObjectStore<StimbenchSchema, ['records', 'events'], 'events', 'readwrite'>, recordId: string): Promise<number> {
  const cursor = await events.openCursor(keyRange(recordId), 'prev');
  return cursor ? cursor.value.index + 1 : 0;
}

export type { RecordEventBody };

/** Abort a transaction we decided not to commit, without leaving its `done` rejection unhandled. */
function abandon(tx: { done: Promise<void>; abort(): void }): void {
  tx.done.catch(() => {});
  tx.abort();
}
