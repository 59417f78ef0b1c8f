/**
 * A record as a complete, versioned JSON document (`stimbench-record` v1): header, every event, every
 * summary chunk (typed arrays as integer arrays). `parseRecordFile` reads it back, checked against the
 * schema, so an export round-trips.
 */
import * as v from 'valibot';
import { formatPath } from '../presets/parsePresetFile.ts';
import { StorageError } from './recordErrors.ts';
import { RECORD_FILE_FORMAT, RECORD_FILE_VERSION, RecordFileSchema } from './recordFileSchema.ts';
import type { FullRecord, RecordEvent, SessionRecord, SummaryChunk } from './recordTypes.ts';

export interface RecordFileJson {
  format: typeof RECORD_FILE_FORMAT;
  version: typeof RECORD_FILE_VERSION;
  exportedWallMs: number;
  record: SessionRecord;
  events: RecordEvent[];
  summaries: (Omit<SummaryChunk, 'minUa' | 'meanUa' | 'maxUa' | 'samples' | 'activeSamples'> & {
    minUa: number[];
    meanUa: number[];
    maxUa: number[];
    samples: number[];
    activeSamples: number[];
  })[];
}

/** Only the filled seconds of a chunk are exported. */
const filled = (array: ArrayLike<number>, seconds: number) => Array.from(array).slice(0, seconds);

export function recordToJson(full: FullRecord, exportedWallMs: number): RecordFileJson {
  return {
    format: RECORD_FILE_FORMAT,
    version: RECORD_FILE_VERSION,
    exportedWallMs,
    record: full.record,
    events: full.events,
    summaries: full.summaries.map((c) => ({
      ...c,
      minUa: filled(c.minUa, c.seconds),
      meanUa: filled(c.meanUa, c.seconds),
      maxUa: filled(c.maxUa, c.seconds),
      samples: filled(c.samples, c.seconds),
      activeSamples: filled(c.activeSamples, c.seconds),
    })),
  };
}

export function exportRecordJson(full: FullRecord, exportedWallMs: number): string {
  return JSON.stringify(recordToJson(full, exportedWallMs), null, 2);
}

/** Parse an exported record file; throws StorageError('BAD_RECORD_FILE') naming the first bad field. */
export function parseRecordFile(input: unknown): FullRecord {
  const result = v.safeParse(RecordFileSchema, input);
  if (!result.success) {
    const issue = result.issues[0];
    const path = formatPath((issue.path ?? []).map((p) => p.key));
    throw new StorageError('BAD_RECORD_FILE', `${path || '(file)'}: expected ${issue.expected ?? 'a valid value'}, got ${issue.received}`);
  }
  const file = result.output as unknown as RecordFileJson;
  const padded = (values: number[], Ctor: Int32ArrayConstructor | Uint16ArrayConstructor) => {
    const out = new Ctor(60);
    out.set(values.slice(0, 60));
    return out;
  };
  return {
    record: file.record,
    events: file.events,
    summaries: file.summaries.map((c) => ({
      ...c,
      minUa: padded(c.minUa, Int32Array) as Int32Array,
      meanUa: padded(c.meanUa, Int32Array) as Int32Array,
      maxUa: padded(c.maxUa, Int32Array) as Int32Array,
      samples: padded(c.samples, Uint16Array) as Uint16Array,
      activeSamples: padded(c.activeSamples, Uint16Array) as Uint16Array,
    })),
  };
}
