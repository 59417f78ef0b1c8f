/**
 * The one IndexedDB database of StimBench, through `idb`. Records are split into a header store and
 * append-only event and summary stores keyed by [recordId, index]. Pass `factory` to use another
 * IDBFactory (tests: fake-indexeddb); by default the global `indexedDB`.
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Preset, Programme } from '../presets/types.ts';
import type { Enrolment } from '../session/Enrolment.ts';
import type { SyncEntry } from '../sync/types.ts';
import { StorageError } from '../session/recordErrors.ts';
import type { RecordEvent, SessionRecord, SummaryChunk } from '../session/recordTypes.ts';

export const DB_NAME = 'stimbench';
export const DB_VERSION = 1;

export interface StimbenchSchema extends DBSchema {
  records: { key: string; value: SessionRecord; indexes: { byStatus: string; byEndedWall: number; byCreatedWall: number } };
  events: { key: [string, number]; value: RecordEvent };
  summaries: { key: [string, number]; value: SummaryChunk };
  syncQueue: { key: string; value: SyncEntry; indexes: { byState: string } };
  userPresets: { key: string; value: Preset };
  userProgrammes: { key: string; value: Programme };
  enrolments: { key: string; value: Enrolment };
  settings: { key: string; value: { key: string; value: unknown } };
}

export type StimbenchDb = IDBPDatabase<StimbenchSchema>;
export type StimbenchStoreName = StoreNames<StimbenchSchema>;

export interface OpenDbOptions {
  name?: string;
  factory?: IDBFactory;
}

function upgrade(db: IDBPDatabase<StimbenchSchema>, oldVersion: number): void {
  if (oldVersion < 1) {
    const records = db.createObjectStore('records', { keyPath: 'id' });
    records.createIndex('byStatus', 'status');
    records.createIndex('byEndedWall', 'endedWallMs');
    records.createIndex('byCreatedWall', 'createdWallMs');
    db.createObjectStore('events', { keyPath: ['recordId', 'index'] });
    db.createObjectStore('summaries', { keyPath: ['recordId', 'index'] });
    const sync = db.createObjectStore('syncQueue', { keyPath: 'recordId' });
    sync.createIndex('byState', 'state');
    db.createObjectStore('userPresets', { keyPath: 'id' });
    db.createObjectStore('userProgrammes', { keyPath: 'id' });
    db.createObjectStore('enrolments', { keyPath: 'id' });
    db.createObjectStore('settings', { keyPath: 'key' });
  }
}

export async function openStimbenchDb(options: OpenDbOptions = {}): Promise<StimbenchDb> {
  const factory = options.factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) throw new StorageError('NO_INDEXEDDB', 'IndexedDB is not available: expected a global indexedDB or an IDBFactory, got none');
  const request = factory.open(options.name ?? DB_NAME, DB_VERSION);
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as IDBPDatabase<StimbenchSchema>;
    upgrade(db, event.oldVersion);
  });
  // wrap(request) resolves with the wrapped database once open succeeds (idb's own openDB does the same).
  const db = (await wrap(request)) as unknown as StimbenchDb;
  return db;
}

export type StimbenchTx<Mode extends IDBTransactionMode, Names extends StimbenchStoreName[]> = IDBPTransaction<StimbenchSchema, Names, Mode>;
