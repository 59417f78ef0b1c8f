/**
 * What lab sync needs from storage, owned here so sync never imports storage: a durable queue table of
 * SyncEntry rows (IndexedDB's `syncQueue` store satisfies SyncQueueDb as it is) and read access to
 * finished records (the RecordStore satisfies SyncRecordSource as it is).
 */
import type { FullRecord, SessionRecord } from '../session/recordTypes.ts';
import type { SyncEntry, SyncState } from './types.ts';

export interface SyncQueueDb {
  get(store: 'syncQueue', recordId: string): Promise<SyncEntry | undefined>;
  getAll(store: 'syncQueue'): Promise<SyncEntry[]>;
  getAllFromIndex(store: 'syncQueue', index: 'byState', state: SyncState): Promise<SyncEntry[]>;
  put(store: 'syncQueue', entry: SyncEntry): Promise<unknown>;
}

export interface SyncRecordSource {
  getRecord(recordId: string): Promise<SessionRecord | undefined>;
  listRecords(): Promise<SessionRecord[]>;
  getFull(recordId: string): Promise<FullRecord>;
}
