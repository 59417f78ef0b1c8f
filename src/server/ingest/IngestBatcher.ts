/**
 * Groups records posted at about the same time into one storing statement (storeRecords.ts), so 20
 * benches posting at once cost one database round trip, not 20. Each post still gets its own answer.
 * - One statement at a time: the posts that arrive while it runs form the next one. A post that finds
 *   nothing running waits only until the current event-loop turn ends, so a lone post is not delayed.
 * - A statement holds each record id once: a second post of an id already in it waits for the next
 *   statement, where the stored row answers it (duplicate or conflict) exactly as if posted later.
 * - Each record is stored or not as a whole, by one statement. If a grouped statement fails, its records
 *   are stored again one per statement, so one bad record cannot take the others down: it alone fails.
 */
import type { Queryable } from '../db/Database.ts';
import type { IngestOutcome, PreparedRecord } from './ingestRecord.ts';
import { storeRecords } from './storeRecords.ts';

export interface IngestBatcherOptions {
  /** Most records per statement. Default 200. */
  maxRecords?: number;
  /** Most body bytes per statement (a single larger record still goes alone). Default 8 MiB. */
  maxBytes?: number;
  now: () => number;
}

interface Waiting {
  record: PreparedRecord;
  resolve(outcome: IngestOutcome): void;
  reject(error: unknown): void;
}

export class IngestBatcher {
  readonly #db: Queryable;
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  #queue: Waiting[] = [];
  #running = false;

  constructor(db: Queryable, options: IngestBatcherOptions) {
    this.#db = db;
    this.#maxRecords = options.maxRecords ?? 200;
    this.#maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.#now = options.now;
  }

  /** Store one checked record; resolves with its own answer once its statement has committed. */
  store(record: PreparedRecord): Promise<IngestOutcome> {
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.#queue.push({ record, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#storeGroup(this.#takeGroup());
    } finally {
      this.#running = false;
    }
  }

  /** The oldest waiting records, each id once, within the size limits; the rest stay queued in order. */
  #takeGroup(): Waiting[] {
    const group: Waiting[] = [];
    const ids = new Set<string>();
    const rest: Waiting[] = [];
    let bytes = 0;
    for (const waiting of this.#queue) {
      const full = group.length >= this.#maxRecords || (group.length > 0 && bytes + waiting.record.bodyJson.length > this.#maxBytes);
      if (full || ids.has(waiting.record.row.id)) {
        rest.push(waiting);
        continue;
      }
      group.push(waiting);
      ids.add(waiting.record.row.id);
      bytes += waiting.record.bodyJson.length;
    }
    this.#queue = rest;
    return group;
  }

  async #storeGroup(group: readonly Waiting[]): Promise<void> {
    let outcomes: IngestOutcome[] | null = null;
    try {
      outcomes = await storeRecords(this.#db, group.map((w) => w.record), this.#now());
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
    }
    if (outcomes) {
      group.forEach((waiting, i) => waiting.resolve(outcomes[i]!));
      return;
    }
    for (const waiting of group) {
      try {
        const [outcome] = await storeRecords(this.#db, [waiting.record], this.#now());
        waiting.resolve(outcome!);
      } catch (error) {
        waiting.reject(error);
      }
    }
  }
}
