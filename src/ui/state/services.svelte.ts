/**
 * App-wide services that outlive screens: the IndexedDB record store (opened once; on start-up every
 * unfinished record is closed as interrupted, never resumed) and the active session engine, if any.
 */
import { openStimbenchDb, type StimbenchDb } from '../../lib/storage/openStimbenchDb.ts';
import { RecordStore } from '../../lib/storage/RecordStore.ts';

export class AppServices {
  #store = $state<RecordStore | null>(null);
  #db: StimbenchDb | null = null;
  #storageError = $state<string | null>(null);
  /** Ids of records found unfinished at start-up and closed as interrupted. */
  #recovered = $state<string[]>([]);
  /** Bumped whenever records change, so lists can refresh. */
  #recordsVersion = $state(0);
  readonly ready: Promise<void>;

  constructor() {
    this.ready = this.#open();
  }

  get store(): RecordStore | null {
    return this.#store;
  }
  get db(): StimbenchDb | null {
    return this.#db;
  }
  get storageError(): string | null {
    return this.#storageError;
  }
  get recovered(): string[] {
    return this.#recovered;
  }
  get recordsVersion(): number {
    return this.#recordsVersion;
  }
  recordsChanged(): void {
    this.#recordsVersion++;
  }

  async #open(): Promise<void> {
    try {
      const db = await openStimbenchDb();
      const store = new RecordStore(db);
      this.#recovered = await store.recoverInterrupted(Date.now());
      this.#db = db;
      this.#store = store;
    } catch (e) {
      // Without durable records no session may start (the Session screen checks `store`), but STOP and
      // manual control keep working.
      this.#storageError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
  }
}
