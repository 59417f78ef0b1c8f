/** Session records on disk for Node (the `stimbench` command): the SessionRecordPort of the IndexedDB store, as append-only journals. */
export { FileRecordStore, type FileRecordStoreOptions } from './FileRecordStore.ts';
export { DirectoryLockedError, LOCK_FILE } from './directoryLock.ts';
export { replayJournal, type JournalEntry } from './journal.ts';
