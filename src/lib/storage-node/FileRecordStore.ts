/**
 * Durable session records in a directory, for Node (the `stimbench` command): the same SessionRecordPort
 * the IndexedDB RecordStore implements, with the same guarantees.
 *
 * - Write-ahead: every write resolves only once its line is on disk (write, then fdatasync): the engine
 *   sends no command that can raise output before the event announcing it is durable.
 * - One append-only JSON-lines journal per record (`<id>.jsonl`, journal.ts); closing a record is one
 *   line holding the outcome event, the final summaries and the closed header, so it is all or nothing.
 * - Records left open by a crash are closed as `interrupted` by recoverInterrupted() at the next start,
 *   with their dose recomputed from the stored summaries; never resumed.
 * - One process at a time: a lock file holds the owner's pid, so two commands cannot both pass the
 *   daily-cap admission on one directory, and recovery never closes a record another live process is
 *   still writing.
 */
import { mkdir, open, readdir, readFile, rename, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { doseFromSummaries } from '../session/doseFromSummaries.ts';
import { StorageError } from '../session/recordErrors.ts';
import type { CloseRecordInput, SessionRecordPort } from '../session/recordPorts.ts';
import { checkPainNrs, closedRecord, withPain } from '../session/recordUpdates.ts';
import type { FullRecord, RecordEvent, SessionRecord, SummaryChunk } from '../session/recordTypes.ts';
import { entryLine, replayJournal, summaryToJson, UnacknowledgedRecordError, type JournalEntry } from './journal.ts';
import { acquireDirectoryLock, type DirectoryLock } from './directoryLock.ts';

const JOURNAL_SUFFIX = '.jsonl';
/** Record ids become file names: only these characters (the engine's ids are UUIDs). */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

interface OpenJournal {
  record: SessionRecord;
  /** Index and times of the last event written (recovery names it). */
  lastEvent: RecordEvent | null;
  /** Serialises this record's writes, so lines never interleave and each write follows the one before. */
  chain: Promise<void>;
  handle: FileHandle | null;
}

export interface FileRecordStoreOptions {
  /** Default: this process's pid (tests pass another). */
  pid?: number;
  /**
   * Read only (listing, export): no lock is taken, so a directory a session is writing can be read; an
   * unacknowledged tail is skipped but left in place; every write is refused; a missing directory is empty.
   */
  readOnly?: boolean;
}

export class FileRecordStore implements SessionRecordPort {
  readonly dir: string;
  readonly readOnly: boolean;
  readonly #lock: DirectoryLock;
  readonly #journals = new Map<string, OpenJournal>();
  #closed = false;

  private constructor(dir: string, lock: DirectoryLock, readOnly: boolean) {
    this.dir = dir;
    this.#lock = lock;
    this.readOnly = readOnly;
  }

  /**
   * Open (creating it if needed) a records directory: take its lock, read every record header. A journal
   * whose header line never reached the disk whole (a crash while creating it) is set aside as
   * `<id>.jsonl.unacknowledged`; its record was never acknowledged, so no session ran under it.
   */
  static async open(dir: string, options: FileRecordStoreOptions = {}): Promise<FileRecordStore> {
    const readOnly = options.readOnly ?? false;
    if (readOnly) {
      const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw error;
      });
      const store = new FileRecordStore(dir, { release: async () => {} }, true);
      for (const name of names.filter((n) => n.endsWith(JOURNAL_SUFFIX)).sort()) {
        const path = join(dir, name);
        try {
          const replay = replayJournal(await readFile(path, 'utf8'), path);
          store.#journals.set(replay.record.id, { record: replay.record, lastEvent: replay.events.at(-1) ?? null, chain: Promise.resolve(), handle: null });
        } catch (error) {
          if (!(error instanceof UnacknowledgedRecordError)) throw error;
        }
      }
      return store;
    }
    await mkdir(dir, { recursive: true });
    const lock = await acquireDirectoryLock(dir, options.pid ?? process.pid);
    const store = new FileRecordStore(dir, lock, false);
    try {
      for (const name of (await readdir(dir)).filter((n) => n.endsWith(JOURNAL_SUFFIX)).sort()) {
        const path = join(dir, name);
        try {
          const replay = replayJournal(await readFile(path, 'utf8'), path);
          if (replay.tornTail) await truncate(path, replay.goodBytes);
          store.#journals.set(replay.record.id, { record: replay.record, lastEvent: replay.events.at(-1) ?? null, chain: Promise.resolve(), handle: null });
        } catch (error) {
          if (!(error instanceof UnacknowledgedRecordError)) throw error;
          await rename(path, `${path}.unacknowledged`);
        }
      }
    } catch (error) {
      await lock.release();
      throw error;
    }
    return store;
  }

  // ------------------------------------------------------------------ SessionRecordPort

  async createRecord(record: SessionRecord): Promise<SessionRecord> {
    this.#assertOpen();
    if (!SAFE_ID.test(record.id)) throw new StorageError('WRITE_FAILED', `record id ${JSON.stringify(record.id)} cannot name a file (expected letters, digits, - and _)`);
    if (this.#journals.has(record.id)) throw new StorageError('WRITE_FAILED', `record ${record.id} already exists`);
    const journal: OpenJournal = { record, lastEvent: null, chain: Promise.resolve(), handle: null };
    this.#journals.set(record.id, journal);
    try {
      // 'wx': never overwrite a record file. The directory entry is made durable too (fsync of the directory).
      journal.handle = await open(this.#path(record.id), 'wx');
      await journal.handle.writeFile(entryLine({ entry: 'header', record }));
      await journal.handle.datasync();
      await syncDirectory(this.dir);
    } catch (error) {
      this.#journals.delete(record.id);
      await journal.handle?.close().catch(() => {});
      throw writeFailed(record.id, error);
    }
    return record;
  }

  async appendEvent(event: RecordEvent): Promise<void> {
    const journal = this.#open(event.recordId);
    await this.#enqueue(journal, async () => {
      // Consecutive indexes, each written once (as the IndexedDB store's [recordId, index] key enforces).
      const expected = journal.lastEvent ? journal.lastEvent.index + 1 : 0;
      if (event.index !== expected) throw new StorageError('WRITE_FAILED', `record ${event.recordId}: event index ${event.index} out of order (expected ${expected})`);
      await this.#appendLine(journal, { entry: 'event', event });
      journal.lastEvent = event;
    });
  }

  async putSummary(chunk: SummaryChunk): Promise<void> {
    await this.#write(this.#open(chunk.recordId), { entry: 'summary', chunk: summaryToJson(chunk) });
  }

  async closeRecord(recordId: string, input: CloseRecordInput): Promise<SessionRecord> {
    const journal = this.#journals.get(recordId);
    const closed = closedRecord(recordId, journal?.record, input);
    if (!journal) throw new StorageError('RECORD_NOT_FOUND', `cannot close record ${recordId}: expected an open record, got none`);
    await this.#write(journal, { entry: 'close', record: closed, events: [input.outcomeEvent], summaries: input.summaries.map(summaryToJson) });
    journal.record = closed;
    journal.lastEvent = input.outcomeEvent;
    await this.#release(journal);
    return closed;
  }

  /** A pain rating (NRS 0–10): its event and the updated header in one line. Allowed on closed records (post ratings). */
  async setPain(recordId: string, when: 'pre' | 'post', nrs: number, monoMs: number, wallMs: number): Promise<SessionRecord> {
    checkPainNrs(nrs);
    const journal = this.#journals.get(recordId);
    if (!journal) throw new StorageError('RECORD_NOT_FOUND', `no record ${recordId}`);
    let updated!: SessionRecord;
    await this.#enqueue(journal, async () => {
      // The index is taken inside the chain, after every earlier write of this record.
      const index = journal.lastEvent ? journal.lastEvent.index + 1 : 0;
      const event: RecordEvent = { kind: 'pain', when, nrs, recordId, index, monoMs, wallMs };
      updated = withPain(journal.record, when, nrs);
      await this.#appendLine(journal, { entry: 'pain', record: updated, event });
      journal.lastEvent = event;
      journal.record = updated;
    });
    if (updated.status === 'closed') await this.#release(journal);
    return updated;
  }

  async recordsTouching(wallMs: number): Promise<SessionRecord[]> {
    const out: SessionRecord[] = [];
    for (const { record } of this.#journals.values()) {
      if (record.status === 'open' || (record.endedWallMs !== null && record.endedWallMs >= wallMs)) out.push(record);
    }
    return out;
  }

  // ------------------------------------------------------------------ reading

  async getRecord(recordId: string): Promise<SessionRecord | undefined> {
    return this.#journals.get(recordId)?.record;
  }

  /** Every record, newest first. */
  async listRecords(): Promise<SessionRecord[]> {
    return [...this.#journals.values()].map((j) => j.record).sort((a, b) => b.createdWallMs - a.createdWallMs);
  }

  /** The record as it is on disk now (after every write acknowledged so far). */
  async getFull(recordId: string): Promise<FullRecord> {
    const journal = this.#journals.get(recordId);
    if (!journal) throw new StorageError('RECORD_NOT_FOUND', `no record ${recordId}`);
    await journal.chain.catch(() => {});
    const path = this.#path(recordId);
    const replay = replayJournal(await readFile(path, 'utf8'), path);
    return { record: replay.record, events: replay.events, summaries: replay.summaries };
  }

  /**
   * At start-up: close every record left open by a crash as `interrupted`, with events saying so and its
   * dose recomputed from the stored summaries. Never resumes anything. The end time is `nowWallMs` (an
   * upper bound on when output could have stopped), so the daily cap never undercounts. Returns the ids.
   */
  async recoverInterrupted(nowWallMs: number): Promise<string[]> {
    this.#assertOpen();
    const closed: string[] = [];
    for (const journal of this.#journals.values()) {
      const record = journal.record;
      if (record.status !== 'open' || journal.handle) continue; // open in this process: a live session
      const { summaries } = await this.getFull(record.id);
      const last = journal.lastEvent;
      const index = last ? last.index + 1 : 0;
      const lastSeen = last ? `the last event (#${last.index}, ${last.kind}) was at ${new Date(last.wallMs).toISOString()}` : 'no event was written';
      const message = `The app stopped before this session was closed; ${lastSeen}. Closed as interrupted at start-up; never resumed.`;
      const monoMs = last?.monoMs ?? record.createdMonoMs;
      const interrupted: RecordEvent = { kind: 'interrupted', message, recordId: record.id, index, monoMs, wallMs: nowWallMs };
      const outcome: RecordEvent = { kind: 'outcome', outcome: 'interrupted', stopReason: null, message, recordId: record.id, index: index + 1, monoMs, wallMs: nowWallMs };
      const updated: SessionRecord = {
        ...record,
        status: 'closed',
        outcome: 'interrupted',
        stopReason: null,
        outcomeMessage: message,
        endedWallMs: nowWallMs,
        endedMonoMs: null,
        dose: [doseFromSummaries(summaries, record.plan.program.channel, record.plan.program)],
        eventCount: index + 2,
        summaryChunkCount: summaries.length,
      };
      await this.#write(journal, { entry: 'close', record: updated, events: [interrupted, outcome], summaries: [] });
      journal.record = updated;
      journal.lastEvent = outcome;
      await this.#release(journal);
      closed.push(record.id);
    }
    return closed;
  }

  /**
   * Resolves once every write started so far has settled. A simulated board on virtual time waits for
   * this before each step, so virtual time never outruns the disk (the recorder would take a slow fsync
   * for a hung store).
   */
  async idle(): Promise<void> {
    for (const journal of this.#journals.values()) await journal.chain;
  }

  /** Finish pending writes, close files, release the directory lock. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const journal of this.#journals.values()) {
      await journal.chain.catch(() => {});
      await this.#release(journal);
    }
    await this.#lock.release();
  }

  /** Delete a record's journal (a closed record only). */
  async deleteRecord(recordId: string): Promise<void> {
    this.#assertOpen();
    const journal = this.#journals.get(recordId);
    if (!journal) throw new StorageError('RECORD_NOT_FOUND', `no record ${recordId}`);
    if (journal.record.status === 'open') throw new StorageError('RECORD_OPEN', `record ${recordId} is still open`);
    this.#journals.delete(recordId);
    await unlink(this.#path(recordId));
    await syncDirectory(this.dir);
  }

  // ------------------------------------------------------------------ internals

  #path(recordId: string): string {
    return join(this.dir, `${recordId}${JOURNAL_SUFFIX}`);
  }

  #assertOpen(): void {
    if (this.readOnly) throw new StorageError('WRITE_FAILED', `the records directory ${this.dir} was opened read-only`);
    if (this.#closed) throw new StorageError('WRITE_FAILED', `the records directory ${this.dir} is closed`);
  }

  #open(recordId: string): OpenJournal {
    this.#assertOpen();
    const journal = this.#journals.get(recordId);
    if (!journal) throw new StorageError('RECORD_NOT_FOUND', `no record ${recordId}`);
    if (journal.record.status === 'closed') throw new StorageError('RECORD_CLOSED', `record ${recordId} is closed`);
    return journal;
  }

  #write(journal: OpenJournal, entry: JournalEntry): Promise<void> {
    return this.#enqueue(journal, () => this.#appendLine(journal, entry));
  }

  #enqueue(journal: OpenJournal, work: () => Promise<void>): Promise<void> {
    this.#assertOpen();
    const result = journal.chain.then(work);
    journal.chain = result.catch(() => {});
    return result;
  }

  /** Append one line and wait until it is on disk. */
  async #appendLine(journal: OpenJournal, entry: JournalEntry): Promise<void> {
    try {
      journal.handle ??= await open(this.#path(journal.record.id), 'a');
      await journal.handle.appendFile(entryLine(entry));
      await journal.handle.datasync();
    } catch (error) {
      throw writeFailed(journal.record.id, error);
    }
  }

  async #release(journal: OpenJournal): Promise<void> {
    const handle = journal.handle;
    journal.handle = null;
    await handle?.close().catch(() => {});
  }
}

function writeFailed(recordId: string, error: unknown): StorageError {
  return new StorageError('WRITE_FAILED', `record ${recordId}: could not write to disk (${error instanceof Error ? error.message : String(error)})`);
}

/** Make a new or removed directory entry durable (Linux and macOS; Windows cannot open a directory, and needs no sync for it). */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (process.platform !== 'win32') throw error;
  } finally {
    await handle?.close();
  }
}
