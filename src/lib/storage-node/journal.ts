/**
 * One record's journal on disk: a JSON-lines file, appended to and never rewritten. Each line is one
 * entry; the file is replayed in order to get the record back. Typed arrays are stored as integer
 * arrays (the seconds filled so far), as in the JSON export.
 *
 * A line is acknowledged only once it and its newline are on disk (write + fdatasync). A crash can
 * therefore leave at most one unacknowledged line at the end, possibly cut short: replay drops it (and
 * the store truncates the file back to its last complete line before appending again). A malformed line
 * anywhere else is damage, never a crash, and is refused.
 */
import { StorageError } from '../session/recordErrors.ts';
import type { RecordEvent, SessionRecord, SummaryChunk } from '../session/recordTypes.ts';

export type SummaryJson = Omit<SummaryChunk, 'minUa' | 'meanUa' | 'maxUa' | 'samples' | 'activeSamples'> & {
  minUa: number[];
  meanUa: number[];
  maxUa: number[];
  samples: number[];
  activeSamples: number[];
};

/** One journal line. `header` is written first; `close` and `pain` carry the updated header with their event(s). */
export type JournalEntry =
  | { entry: 'header'; record: SessionRecord }
  | { entry: 'event'; event: RecordEvent }
  | { entry: 'summary'; chunk: SummaryJson }
  | { entry: 'close'; record: SessionRecord; events: RecordEvent[]; summaries: SummaryJson[] }
  | { entry: 'pain'; record: SessionRecord; event: RecordEvent };

const filled = (array: ArrayLike<number>, seconds: number) => Array.from(array).slice(0, seconds);

export function summaryToJson(chunk: SummaryChunk): SummaryJson {
  return {
    ...chunk,
    minUa: filled(chunk.minUa, chunk.seconds),
    meanUa: filled(chunk.meanUa, chunk.seconds),
    maxUa: filled(chunk.maxUa, chunk.seconds),
    samples: filled(chunk.samples, chunk.seconds),
    activeSamples: filled(chunk.activeSamples, chunk.seconds),
  };
}

export function summaryFromJson(json: SummaryJson): SummaryChunk {
  const ints = (values: number[]) => {
    const out = new Int32Array(60);
    out.set(values.slice(0, 60));
    return out;
  };
  const counts = (values: number[]) => {
    const out = new Uint16Array(60);
    out.set(values.slice(0, 60));
    return out;
  };
  return { ...json, minUa: ints(json.minUa), meanUa: ints(json.meanUa), maxUa: ints(json.maxUa), samples: counts(json.samples), activeSamples: counts(json.activeSamples) };
}

export function entryLine(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

/** A journal read back: the record as its entries leave it, and where the acknowledged part ends. */
export interface ReplayedJournal {
  record: SessionRecord;
  events: RecordEvent[];
  /** By chunk index: a later entry for the same chunk replaces the earlier one (a partial chunk grows). */
  summaries: SummaryChunk[];
  /** Bytes of complete lines; anything after this is an unacknowledged tail to cut off. */
  goodBytes: number;
  tornTail: boolean;
}

/** A journal whose header line never reached the disk whole: the record was never acknowledged as created. */
export class UnacknowledgedRecordError extends StorageError {
  constructor(file: string) {
    super('BAD_RECORD_FILE', `${file}: no complete header line (the record was never acknowledged as created)`);
  }
}

export function replayJournal(text: string, file: string): ReplayedJournal {
  let record: SessionRecord | null = null;
  const events: RecordEvent[] = [];
  const summaries = new Map<number, SummaryChunk>();
  let offset = 0;
  let goodBytes = 0;
  let tornTail = false;
  let lineNo = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const last = end === -1;
    const line = text.slice(offset, last ? text.length : end);
    lineNo++;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      if (last) {
        // The final line, cut short by a crash before it was acknowledged.
        tornTail = true;
        break;
      }
      throw new StorageError('BAD_RECORD_FILE', `${file}: line ${lineNo} is not valid JSON (expected a journal entry); only the last line of a journal may be incomplete`);
    }
    if (last) {
      // Parsable but without its newline: the write was not acknowledged (the newline is part of it).
      tornTail = true;
      break;
    }
    if (lineNo === 1 && entry.entry !== 'header') throw new StorageError('BAD_RECORD_FILE', `${file}: expected a header as line 1, got ${String(entry.entry)}`);
    switch (entry.entry) {
      case 'header':
        if (lineNo !== 1) throw new StorageError('BAD_RECORD_FILE', `${file}: line ${lineNo} is a second header`);
        record = entry.record;
        break;
      case 'event':
        events.push(entry.event);
        break;
      case 'summary':
        summaries.set(entry.chunk.index, summaryFromJson(entry.chunk));
        break;
      case 'close':
        record = entry.record;
        events.push(...entry.events);
        for (const chunk of entry.summaries) summaries.set(chunk.index, summaryFromJson(chunk));
        break;
      case 'pain':
        record = entry.record;
        events.push(entry.event);
        break;
      default:
        throw new StorageError('BAD_RECORD_FILE', `${file}: line ${lineNo} has an unknown entry ${JSON.stringify((entry as { entry?: unknown }).entry)}`);
    }
    offset = end + 1;
    goodBytes = Buffer.byteLength(text.slice(0, offset));
  }
  if (!record) throw new UnacknowledgedRecordError(file);
  return { record, events, summaries: [...summaries.values()].sort((a, b) => a.index - b.index), goodBytes, tornTail };
}
