/**
 * What the session layer needs from durable storage, and nothing more. The browser's IndexedDB store
 * and the Node file store both implement it; the session engine, its recorder and its admission checks
 * see only this interface. Every write resolves only once it is durable: the engine's write-ahead rule
 * (no raising command before its event is on disk) depends on that.
 */
import type { ChannelDose, RecordEvent, SessionOutcome, SessionRecord, StopReason, SummaryChunk } from './recordTypes.ts';

export interface CloseRecordInput {
  outcome: SessionOutcome;
  stopReason: StopReason | null;
  message: string;
  endedMonoMs: number;
  endedWallMs: number;
  dose: ChannelDose[];
  targetUa: number | null;
  /** The outcome event, written atomically with the header. */
  outcomeEvent: RecordEvent;
  /** Final summary chunks, written atomically with the header. */
  summaries: SummaryChunk[];
  eventCount: number;
  summaryChunkCount: number;
}

/** Writing one session's record: create, append (write-ahead), summaries, close. */
export interface SessionRecordWriter {
  createRecord(record: SessionRecord): Promise<SessionRecord>;
  /** Append one event; resolves when durable. Indexes are consecutive per record (the recorder assigns them). */
  appendEvent(event: RecordEvent): Promise<void>;
  /** Write or overwrite one summary chunk (a partial chunk grows); resolves when durable. */
  putSummary(chunk: SummaryChunk): Promise<void>;
  closeRecord(recordId: string, input: CloseRecordInput): Promise<SessionRecord>;
  setPain(recordId: string, when: 'pre' | 'post', nrs: number, monoMs: number, wallMs: number): Promise<SessionRecord>;
}

/** Reading usage for admission: every record whose stimulation may overlap the window starting at `wallMs`. */
export interface SessionUsageReader {
  recordsTouching(wallMs: number): Promise<SessionRecord[]>;
}

/** The whole port a session engine is given. */
export interface SessionRecordPort extends SessionRecordWriter, SessionUsageReader {}
