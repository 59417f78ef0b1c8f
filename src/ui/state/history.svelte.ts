/**
 * The History screen's state: the list of session records (newest first) with each record's lab-sync
 * entry, the record open in the detail view (header, events, summaries), and the exports.
 *
 * Sync status is read straight from the durable `syncQueue` store (one SyncEntry per record, written by
 * the sync layer), so it shows what survives a reload, not what some in-memory queue believes.
 * Loads are tokened: a slow, older load never overwrites a newer one.
 */
import { exportEventsCsv } from '../../lib/storage/exportEventsCsv.ts';
import { exportRecordJson } from '../../lib/session/exportRecordJson.ts';
import { exportSessionsCsv } from '../../lib/storage/exportSessionsCsv.ts';
import type { FullRecord, SessionRecord } from '../../lib/session/recordTypes.ts';
import type { SyncEntry } from '../../lib/sync/types.ts';
import { downloadText, type DownloadFn } from '../components/history/downloadText.ts';
import { recordFileName, sessionsFileName } from '../components/history/recordFileName.ts';
import type { AppServices } from './services.svelte.ts';
import { errorText } from '../format.ts';

/** What History needs of the app services (an AppServices instance fits; tests pass a plain object). */
export type HistoryServices = Pick<AppServices, 'store' | 'db' | 'recordsVersion' | 'recovered' | 'storageError'> & Partial<Pick<AppServices, 'labSyncConfigured'>>;

export interface HistoryOptions {
  /** Wall clock for export stamps. Default Date.now. */
  wallNow?: () => number;
  /** How a file is saved. Default: a Blob URL and <a download>. */
  download?: DownloadFn;
}

const message = errorText;
const EXPORT_FAILED = 'Export failed: ';

export class HistoryState {
  readonly #services: HistoryServices;
  readonly #wallNow: () => number;
  readonly #download: DownloadFn;
  #records = $state<SessionRecord[]>([]);
  #sync = $state<Record<string, SyncEntry>>({});
  #loaded = $state(false);
  #error = $state<string | null>(null);
  #selected = $state<FullRecord | null>(null);
  #selectedId = $state<string | null>(null);
  #detailError = $state<string | null>(null);
  #exportMessage = $state<string | null>(null);
  #loadToken = 0;
  #selectToken = 0;

  constructor(services: HistoryServices, options: HistoryOptions = {}) {
    this.#services = services;
    this.#wallNow = options.wallNow ?? Date.now;
    this.#download = options.download ?? downloadText;
  }

  get records(): SessionRecord[] {
    return this.#records;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get error(): string | null {
    return this.#error;
  }
  get selected(): FullRecord | null {
    return this.#selected;
  }
  get selectedId(): string | null {
    return this.#selectedId;
  }
  get detailError(): string | null {
    return this.#detailError;
  }
  /** The last export's result, for a status line. */
  /** The last export's outcome failed (shown as an error, not as a status). */
  get exportFailed(): boolean {
    return this.#exportMessage?.startsWith(EXPORT_FAILED) ?? false;
  }
  get exportMessage(): string | null {
    return this.#exportMessage;
  }

  /** A lab server is set (assumed when the services do not say). */
  get labSyncConfigured(): boolean {
    return this.#services.labSyncConfigured ?? true;
  }
  /** The record's lab-sync entry, or null when it was never queued (no lab server set, or still open). */
  syncOf(recordId: string): SyncEntry | null {
    return this.#sync[recordId] ?? null;
  }

  /** Ids closed as interrupted at this start-up. */
  get recovered(): string[] {
    return this.#services.recovered;
  }

  async load(): Promise<void> {
    const store = this.#services.store;
    const db = this.#services.db;
    if (!store) return;
    const token = ++this.#loadToken;
    try {
      const [records, sync] = await Promise.all([store.listRecords(), db ? db.getAll('syncQueue') : Promise.resolve([])]);
      if (token !== this.#loadToken) return;
      this.#records = records;
      this.#sync = Object.fromEntries(sync.map((entry) => [entry.recordId, entry]));
      this.#error = null;
      // Keep an open detail view current (e.g. a post-session pain rating or a sync delivery).
      const open = this.#selectedId;
      if (open && records.some((r) => r.id === open)) await this.select(open);
    } catch (e) {
      if (token === this.#loadToken) this.#error = message(e);
    } finally {
      if (token === this.#loadToken) this.#loaded = true;
    }
  }

  /**
   * Re-read only the lab-sync entries (the sync layer updates them in the background; the screen polls
   * this while it is open, since AppServices exposes no sync change events).
   */
  async refreshSync(): Promise<void> {
    const db = this.#services.db;
    if (!db || !this.#services.store) return;
    try {
      const sync = await db.getAll('syncQueue');
      this.#sync = Object.fromEntries(sync.map((entry) => [entry.recordId, entry]));
    } catch {
      // A failed poll leaves the last known states; the next full load reports errors.
    }
  }

  async select(recordId: string): Promise<void> {
    const store = this.#services.store;
    if (!store) return;
    const token = ++this.#selectToken;
    this.#selectedId = recordId;
    this.#detailError = null;
    this.#exportMessage = null;
    try {
      const full = await store.getFull(recordId);
      if (token === this.#selectToken) this.#selected = full;
    } catch (e) {
      if (token === this.#selectToken) {
        this.#selected = null;
        this.#detailError = message(e);
      }
    }
  }

  closeDetail(): void {
    this.#selectToken++;
    this.#selectedId = null;
    this.#selected = null;
    this.#detailError = null;
    this.#exportMessage = null;
  }

  /** The complete record as versioned JSON (header, every event, every summary chunk). */
  async exportJson(recordId: string): Promise<void> {
    await this.#export(async (store) => {
      const full = await store.getFull(recordId);
      return { text: exportRecordJson(full, this.#wallNow()), name: recordFileName(full.record, 'record.json'), mime: 'application/json' };
    });
  }

  /** Save a JSON export already made (the printable report's file, whose digest the report prints). */
  saveRecordFile(record: SessionRecord, text: string): void {
    const name = recordFileName(record, 'record.json');
    try {
      this.#download(text, name, 'application/json');
      this.#exportMessage = `Saved ${name}.`;
    } catch (e) {
      this.#exportMessage = `${EXPORT_FAILED}${message(e)}`;
    }
  }

  /** One CSV row per event of the record. */
  async exportEventsCsv(recordId: string): Promise<void> {
    await this.#export(async (store) => {
      const full = await store.getFull(recordId);
      return { text: exportEventsCsv(full.events), name: recordFileName(full.record, 'events.csv'), mime: 'text/csv' };
    });
  }

  /** One CSV row per session: every record, or only the given one. */
  async exportSessionsCsv(recordId?: string): Promise<void> {
    await this.#export(async (store) => {
      if (recordId !== undefined) {
        const record = await store.getRecord(recordId);
        if (!record) throw new Error(`no record ${recordId}`);
        return { text: exportSessionsCsv([record]), name: recordFileName(record, 'session.csv'), mime: 'text/csv' };
      }
      const records = await store.listRecords();
      return { text: exportSessionsCsv(records), name: sessionsFileName(this.#wallNow()), mime: 'text/csv' };
    });
  }

  async #export(make: (store: NonNullable<HistoryServices['store']>) => Promise<{ text: string; name: string; mime: string }>): Promise<void> {
    const store = this.#services.store;
    if (!store) {
      this.#exportMessage = `${EXPORT_FAILED}the record store is not open.`;
      return;
    }
    try {
      const { text, name, mime } = await make(store);
      this.#download(text, name, mime);
      this.#exportMessage = `Saved ${name}.`;
    } catch (e) {
      this.#exportMessage = `${EXPORT_FAILED}${message(e)}`;
    }
  }
}
