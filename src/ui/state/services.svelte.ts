/**
 * App-wide services that outlive screens: the IndexedDB record store (opened once; on start-up every
 * unfinished record is closed as interrupted, never resumed) and the active session engine, if any.
 */
import { openStimbenchDb, type StimbenchDb } from '../../lib/storage/openStimbenchDb.ts';
import { RecordStore } from '../../lib/storage/RecordStore.ts';
import { systemClock } from '../../lib/clock.ts';
import type { LabSync } from '../../lib/sync/LabSync.ts';
import type { SyncSettings } from '../../lib/sync/types.ts';
import { errorText } from '../format.ts';

export interface AppServicesOptions {
  /** The lab server settings in force, or null when lab sync is not configured. */
  syncSettings?: () => SyncSettings | null;
}

export class AppServices {
  #labSync: LabSync | null = null;
  readonly #syncSettings: () => SyncSettings | null;
  #store = $state<RecordStore | null>(null);
  #db: StimbenchDb | null = null;
  #storageError = $state<string | null>(null);
  /** Ids of records found unfinished at start-up and closed as interrupted. */
  #recovered = $state<string[]>([]);
  /** Bumped whenever records change, so lists can refresh. */
  #recordsVersion = $state(0);
  readonly ready: Promise<void>;

  constructor(options: AppServicesOptions = {}) {
    this.#syncSettings = options.syncSettings ?? (() => null);
    this.ready = this.#open();
  }

  /** The lab sync queue (loaded after the store opens), or null. */
  get labSync(): LabSync | null {
    return this.#labSync;
  }

  /**
   * Queue every finished record for the lab server. Called after the post-session rating (a later
   * update would be refused as a duplicate) and at start-up for anything left unqueued.
   */
  async queueFinishedForSync(): Promise<void> {
    const sync = this.#labSync;
    if (!sync) return;
    try {
      await sync.enqueueFinished();
      void sync.syncNow();
    } catch (e) {
      console.warn('StimBench: lab sync queueing failed', e);
    }
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
  /** A lab server is set: queued records will be sent. Without one, "pending" would promise a send that never comes. */
  get labSyncConfigured(): boolean {
    return Boolean(this.#syncSettings()?.serverUrl);
  }
  get recordsVersion(): number {
    return this.#recordsVersion;
  }
  recordsChanged(): void {
    this.#recordsVersion++;
  }

  async #startSync(db: StimbenchDb, store: RecordStore): Promise<void> {
    // Sync is optional and loaded on demand; failing to start it never blocks sessions.
    try {
      const [{ LabSync }, { browserConnectivity }, { checkSyncSettings }] = await Promise.all([
        import('../../lib/sync/LabSync.ts'),
        import('../../lib/sync/connectivity.ts'),
        import('../../lib/sync/checkSyncSettings.ts'),
      ]);
      const settings = async () => {
        const s = this.#syncSettings();
        if (!s || !s.serverUrl) return null;
        try {
          return checkSyncSettings(s);
        } catch {
          return null;
        }
      };
      this.#labSync = new LabSync({ db, records: store, clock: systemClock, settings, connectivity: browserConnectivity() });
      this.#labSync.start();
      await this.queueFinishedForSync();
    } catch (e) {
      console.warn('StimBench: lab sync unavailable', e);
    }
  }

  async #open(): Promise<void> {
    try {
      const db = await openStimbenchDb();
      const store = new RecordStore(db);
      this.#recovered = await store.recoverInterrupted(Date.now());
      this.#db = db;
      this.#store = store;
      await this.#startSync(db, store);
    } catch (e) {
      // Without durable records no stimulation may start (the Session screen and the Control screen's
      // manual sessions check `store`), but STOP keeps working.
      this.#storageError = errorText(e);
    }
  }
}
