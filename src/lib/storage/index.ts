/** Durable session records in IndexedDB, and their JSON / CSV export. */
export { openStimbenchDb, DB_NAME, DB_VERSION, type StimbenchDb, type StimbenchSchema, type OpenDbOptions } from './openStimbenchDb.ts';
export { RecordStore, type CloseRecordInput } from './RecordStore.ts';
export { SessionRecorder, type SessionRecorderOptions } from './SessionRecorder.ts';
export { TelemetrySummariser, type ChunkData } from './TelemetrySummariser.ts';
export { doseFromSummaries } from './doseFromSummaries.ts';
export { exportRecordJson, recordToJson, parseRecordFile, type RecordFileJson } from './exportRecordJson.ts';
export { RecordFileSchema, RECORD_FILE_FORMAT, RECORD_FILE_VERSION } from './recordFileSchema.ts';
export { exportEventsCsv, EVENT_CSV_COLUMNS } from './exportEventsCsv.ts';
export { exportSessionsCsv, SESSION_CSV_COLUMNS } from './exportSessionsCsv.ts';
export { csvField, csvRow, toCsv, type CsvValue } from './csv.ts';
export { StorageError } from './errors.ts';
export type * from './recordTypes.ts';
export { SUMMARY_CHUNK_SECONDS } from './recordTypes.ts';
