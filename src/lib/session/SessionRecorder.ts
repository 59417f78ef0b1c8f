/**
 * One session's writer. Events are appended strictly in order through a chain, each resolving when
 * durable; `drain()` resolves when every event appended so far is durable (the engine awaits it before
 * any command that can raise output). Telemetry goes through a TelemetrySummariser; completed minute
 * chunks are written as they complete and the chunk being filled is rewritten every `flushEverySeconds`,
 * on a separate chain so summaries never delay an event.
 *
 * If a write fails, `failure` is set, `onFailure` is called once, and every later append rejects: the
 * engine must then stop output, because it can no longer record what it does. A write that neither
 * completes nor fails counts as failed once no write has completed for `flushEverySeconds` (checked on
 * each telemetry batch): a hung store must not let a session run unrecorded.
 */
import type { Clock } from '../clock.ts';
import type { Program, TelemetryMessage } from '../../../firmware-protocol/src/index.ts';
import { StorageError } from './recordErrors.ts';
import type { SessionRecordPort } from './recordPorts.ts';
import type { RecordEvent, RecordEventBody, SessionOutcome, SessionRecord, StopReason, SummaryChunk } from './recordTypes.ts';
import { TelemetrySummariser, type ChunkData } from './TelemetrySummariser.ts';

export interface SessionRecorderOptions {
  /** Rewrite the partial summary chunk this often (board seconds). Bounds summary loss in a crash. */
  flushEverySeconds?: number;
  /** Called once, with the first write failure (events or summaries). */
  onFailure?: (error: Error) => void;
}

export class SessionRecorder {
  readonly record: SessionRecord;
  readonly summariser: TelemetrySummariser;
  #store: SessionRecordPort;
  #clock: Clock;
  #nextIndex = 0;
  #events: Promise<void> = Promise.resolve();
  #summaries: Promise<void> = Promise.resolve();
  #chunkIndex = new Map<number, number>();
  #lastFlushSecond = 0;
  #flushEverySeconds: number;
  #failure: Error | null = null;
  #onFailure: ((error: Error) => void) | null;
  #closed = false;
  /** Writes started and not yet settled, and when one last settled (or the first was started), ms. */
  #pendingWrites = 0;
  #progressAtMs = 0;

  private constructor(store: SessionRecordPort, clock: Clock, record: SessionRecord, options: SessionRecorderOptions) {
    this.#store = store;
    this.#clock = clock;
    this.record = record;
    this.#flushEverySeconds = options.flushEverySeconds ?? 10;
    this.#onFailure = options.onFailure ?? null;
    this.summariser = new TelemetrySummariser(record.plan.program.channel, record.plan.program);
  }

  /** Create the record (durable) and its recorder. */
  static async create(store: SessionRecordPort, clock: Clock, record: SessionRecord, options: SessionRecorderOptions = {}): Promise<SessionRecorder> {
    await store.createRecord(record);
    return new SessionRecorder(store, clock, record, options);
  }

  get recordId(): string {
    return this.record.id;
  }
  get failure(): Error | null {
    return this.#failure;
  }
  get eventCount(): number {
    return this.#nextIndex;
  }

  /** Append an event, stamped now. Resolves with the stored event once it is durable. */
  append(body: RecordEventBody): Promise<RecordEvent> {
    if (this.#closed) return Promise.reject(new StorageError('RECORD_CLOSED', `record ${this.record.id} is closed: cannot append ${body.kind}`));
    const event = { ...body, recordId: this.record.id, index: this.#nextIndex++, monoMs: this.#clock.now(), wallMs: this.#clock.wallNow() } as RecordEvent;
    const write = this.#events.then(() => {
      if (this.#failure) throw this.#failure;
      return this.#tracked(this.#store.appendEvent(event));
    });
    this.#events = write.then(
      () => {},
      (error: unknown) => this.#fail(error),
    );
    return write.then(() => event);
  }

  /** Count a store write while it is pending, so a hung store can be told from a slow one. */
  #tracked<T>(write: Promise<T>): Promise<T> {
    if (this.#pendingWrites++ === 0) this.#progressAtMs = this.#clock.now();
    const settled = () => {
      this.#pendingWrites--;
      this.#progressAtMs = this.#clock.now();
    };
    write.then(settled, settled);
    return write;
  }

  #fail(error: unknown): void {
    if (this.#failure) return;
    this.#failure = error instanceof Error ? error : new StorageError('WRITE_FAILED', String(error));
    const listener = this.#onFailure;
    this.#onFailure = null;
    listener?.(this.#failure);
  }

  /** A write pending with none completing for a flush period: the store is hung; treat it as failed. */
  #checkHung(): void {
    if (this.#failure || this.#pendingWrites === 0) return;
    const stalledMs = this.#clock.now() - this.#progressAtMs;
    if (stalledMs >= this.#flushEverySeconds * 1000) {
      this.#fail(new StorageError('WRITE_FAILED', `record ${this.record.id}: no write has completed for ${Math.round(stalledMs / 1000)} s (${this.#pendingWrites} pending); the store is not answering`));
    }
  }

  /** Resolves when every event appended so far is durable; rejects if any write failed. */
  async drain(): Promise<void> {
    await this.#events;
    if (this.#failure) throw this.#failure;
  }

  setProgram(program: Program): void {
    this.summariser.setProgram(program);
  }

  /** Board time at which the present run STARTed (see TelemetrySummariser.startRun). */
  startRun(startBoardMs: number): void {
    this.summariser.startRun(startBoardMs);
  }

  /** Feed one TELEMETRY batch. Writes happen in the background, in order. */
  telemetry(message: TelemetryMessage): void {
    if (this.#closed) return;
    this.#checkHung();
    const completed = this.summariser.add(message);
    for (const chunk of completed) this.#writeChunk(chunk);
    const second = this.summariser.secondsSoFar;
    if (second - this.#lastFlushSecond >= this.#flushEverySeconds) {
      this.#lastFlushSecond = second;
      const current = this.summariser.currentChunk();
      if (current) this.#writeChunk(current);
    }
  }

  #toStored(chunk: ChunkData): SummaryChunk {
    let index = this.#chunkIndex.get(chunk.chunkNo);
    if (index === undefined) {
      index = this.#chunkIndex.size;
      this.#chunkIndex.set(chunk.chunkNo, index);
    }
    return {
      recordId: this.record.id,
      index,
      channel: chunk.channel,
      firstSecond: chunk.firstSecond,
      boardStartMs: chunk.boardStartMs,
      seconds: chunk.seconds,
      minUa: chunk.minUa,
      meanUa: chunk.meanUa,
      maxUa: chunk.maxUa,
      samples: chunk.samples,
      activeSamples: chunk.activeSamples,
      sampleIntervalUs: chunk.sampleIntervalUs,
    };
  }

  #writeChunk(chunk: ChunkData): void {
    const stored = this.#toStored(chunk);
    this.#summaries = this.#summaries.then(() => this.#tracked(this.#store.putSummary(stored))).then(
      () => {},
      (error: unknown) => this.#fail(error),
    );
  }

  /** Close the record: final summaries, the outcome event and the header, in one transaction. */
  async close(outcome: SessionOutcome, stopReason: StopReason | null, message: string, targetUa: number | null): Promise<SessionRecord> {
    if (this.#closed) throw new StorageError('RECORD_CLOSED', `record ${this.record.id} is already closed`);
    this.#closed = true;
    await this.#events;
    await this.#summaries;
    const current = this.summariser.currentChunk();
    const finalChunks = current ? [this.#toStored(current)] : [];
    const now = { monoMs: this.#clock.now(), wallMs: this.#clock.wallNow() };
    const outcomeEvent: RecordEvent = { kind: 'outcome', outcome, stopReason, message, recordId: this.record.id, index: this.#nextIndex++, ...now };
    return this.#store.closeRecord(this.record.id, {
      outcome,
      stopReason,
      message,
      endedMonoMs: now.monoMs,
      endedWallMs: now.wallMs,
      dose: [this.summariser.dose()],
      targetUa,
      outcomeEvent,
      summaries: finalChunks,
      eventCount: this.#nextIndex,
      summaryChunkCount: this.#chunkIndex.size,
    });
  }
}
