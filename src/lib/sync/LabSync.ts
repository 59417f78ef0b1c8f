/**
 * Lab sync: finished records are POSTed as JSON (the `stimbench-record` v1 export) to the lab server,
 * with `Authorization: Bearer <token>` and `Idempotency-Key: <record id>`, so a retry can never store a
 * record twice. The queue lives in IndexedDB (syncQueue), so it survives reloads and offline periods.
 *
 * Delivery rules (classifyResponse.ts): 2xx with `{ "id": <record id> }` → delivered; 409 → conflict (the
 * server holds a different record under this id: not delivered, not retried); 408/429/5xx,
 * a timeout, a network error or a malformed 2xx reply → retried with exponential backoff and jitter on
 * the injected clock (a malformed 2xx also leaves a warning on the entry); any other 4xx → failed,
 * recorded, not retried. Offline, nothing is attempted (and no attempt is counted) until the browser
 * says it is online again.
 */
import type { Clock, TimerId } from '../clock.ts';
import { describeError } from '../thrown.ts';
import { recordToJson } from '../session/exportRecordJson.ts';
import { backoffMs, retryAfterMs } from './backoffMs.ts';
import { classifyResponse, type Verdict } from './classifyResponse.ts';
import { alwaysOnline, type Connectivity } from './connectivity.ts';
import { SyncError } from './errors.ts';
import type { SyncQueueDb, SyncRecordSource } from './syncPorts.ts';
import type { SyncEntry, SyncSettings } from './types.ts';

export interface LabSyncOptions {
  db: SyncQueueDb;
  records: SyncRecordSource;
  clock: Clock;
  /** Current settings, or null when sync is not configured (entries wait). */
  settings: () => Promise<SyncSettings | null>;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  random?: () => number;
  connectivity?: Connectivity;
  /** Per request, ms. Default 30 s. */
  timeoutMs?: number;
  /** First retry delay (before jitter), ms. Default 5 s. */
  baseDelayMs?: number;
  /** Longest retry delay, ms. Default 30 min. */
  maxDelayMs?: number;
}

const MAX_WARNINGS = 10;

export class LabSync {
  readonly #db: SyncQueueDb;
  readonly #records: SyncRecordSource;
  readonly #clock: Clock;
  readonly #settings: LabSyncOptions['settings'];
  readonly #fetch: NonNullable<LabSyncOptions['fetch']>;
  readonly #random: () => number;
  readonly #connectivity: Connectivity;
  readonly #timeoutMs: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #listeners = new Set<(entry: SyncEntry) => void>();
  #timer: TimerId | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #started = false;
  #offOnline: (() => void) | null = null;

  constructor(options: LabSyncOptions) {
    this.#db = options.db;
    this.#records = options.records;
    this.#clock = options.clock;
    this.#settings = options.settings;
    // Late-bound, so a fetch patched after construction (a service worker shim, MSW in tests) is used.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#random = options.random ?? Math.random;
    this.#connectivity = options.connectivity ?? alwaysOnline;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#baseDelayMs = options.baseDelayMs ?? 5_000;
    this.#maxDelayMs = options.maxDelayMs ?? 30 * 60_000;
  }

  /** Called with each entry whose state changed. Returns an unsubscribe function. */
  onChange(listener: (entry: SyncEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Queue a finished record for delivery (durably). Queuing a delivered record again does nothing;
   * a failed one is queued afresh (e.g. after the token was fixed). Kicks the queue when started.
   */
  async enqueue(recordId: string): Promise<SyncEntry> {
    const record = await this.#records.getRecord(recordId);
    if (!record) throw new SyncError('RECORD_NOT_FOUND', `cannot sync record ${recordId}: no such record`);
    if (record.status !== 'closed') throw new SyncError('RECORD_OPEN', `cannot sync record ${recordId}: expected a finished record, got an open one`);
    const existing = await this.#db.get('syncQueue', recordId);
    if (existing && existing.state !== 'failed') return existing;
    const now = this.#clock.wallNow();
    const entry: SyncEntry = {
      recordId,
      state: 'pending',
      attempts: 0,
      enqueuedWallMs: existing?.enqueuedWallMs ?? now,
      nextAttemptWallMs: now,
      lastAttemptWallMs: null,
      lastHttpStatus: null,
      lastError: null,
      deliveredWallMs: null,
      warnings: existing?.warnings ?? [],
    };
    await this.#db.put('syncQueue', entry);
    this.#notify(entry);
    if (this.#started) this.#kick();
    return entry;
  }

  /** Queue every closed record not yet queued (e.g. at start-up). Returns how many were added. */
  async enqueueFinished(): Promise<number> {
    const records = await this.#records.listRecords();
    let added = 0;
    for (const record of records) {
      if (record.status !== 'closed') continue;
      if (await this.#db.get('syncQueue', record.id)) continue;
      await this.enqueue(record.id);
      added++;
    }
    return added;
  }

  async status(recordId: string): Promise<SyncEntry | null> {
    return (await this.#db.get('syncQueue', recordId)) ?? null;
  }

  async statuses(): Promise<SyncEntry[]> {
    return this.#db.getAll('syncQueue');
  }

  /** Start processing the queue: now, at each entry's retry time, and whenever the browser comes online. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#offOnline = this.#connectivity.onOnline(() => this.#kick());
    this.#kick();
  }

  stop(): void {
    this.#started = false;
    this.#offOnline?.();
    this.#offOnline = null;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Attempt every entry that is due now; resolves when this pass is over. */
  async syncNow(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#pass().finally(() => {
      this.#running = null;
    });
    await this.#running;
    if (this.#again) {
      this.#again = false;
      await this.syncNow();
    }
  }

  #kick(): void {
    void this.syncNow().catch(() => {});
  }

  async #pass(): Promise<void> {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    const settings = await this.#settings();
    if (settings && this.#connectivity.isOnline()) {
      const due = (await this.#db.getAllFromIndex('syncQueue', 'byState', 'pending'))
        .filter((e) => e.nextAttemptWallMs <= this.#clock.wallNow())
        .sort((a, b) => a.enqueuedWallMs - b.enqueuedWallMs);
      for (const entry of due) {
        if (!this.#connectivity.isOnline()) break;
        await this.#attempt(entry, settings);
      }
    }
    await this.#schedule();
  }

  async #schedule(): Promise<void> {
    if (!this.#started) return;
    const pending = await this.#db.getAllFromIndex('syncQueue', 'byState', 'pending');
    if (pending.length === 0 || !this.#started) return;
    const next = Math.min(...pending.map((e) => e.nextAttemptWallMs));
    const delay = Math.max(0, next - this.#clock.wallNow());
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    // Re-check at least every maxDelay: a settings change or an online event also kicks the queue.
    this.#timer = this.#clock.setTimeout(() => this.#kick(), Math.min(delay, this.#maxDelayMs));
  }

  async #attempt(entry: SyncEntry, settings: SyncSettings): Promise<void> {
    const now = this.#clock.wallNow();
    let verdict: Verdict;
    let httpStatus: number | null = null;
    let retryAfter: number | null = null;
    try {
      const full = await this.#records.getFull(entry.recordId);
      const body = JSON.stringify(recordToJson(full, now));
      const response = await this.#post(settings, entry.recordId, body);
      httpStatus = response.status;
      verdict = classifyResponse(response.status, response.text, entry.recordId);
      retryAfter = retryAfterMs(response.retryAfter, now);
    } catch (error) {
      verdict = { kind: 'retry', reason: describeError(error), warning: null };
    }
    const attempts = entry.attempts + 1;
    const after = this.#clock.wallNow();
    const updated: SyncEntry = { ...entry, attempts, lastAttemptWallMs: after, lastHttpStatus: httpStatus };
    switch (verdict.kind) {
      case 'delivered':
        updated.state = 'delivered';
        updated.deliveredWallMs = after;
        updated.lastError = null;
        if (verdict.duplicate) updated.warnings = [...entry.warnings, 'the server already had this record: counted as delivered'].slice(-MAX_WARNINGS);
        break;
      case 'conflict':
        updated.state = 'conflict';
        updated.lastError = verdict.reason;
        break;
      case 'failed':
        updated.state = 'failed';
        updated.lastError = verdict.reason;
        break;
      case 'retry': {
        const delay = Math.min(this.#maxDelayMs, Math.max(backoffMs(attempts, this.#baseDelayMs, this.#maxDelayMs, this.#random), retryAfter ?? 0));
        updated.state = 'pending';
        updated.lastError = verdict.reason;
        updated.nextAttemptWallMs = after + delay;
        if (verdict.warning) updated.warnings = [...entry.warnings, verdict.warning].slice(-MAX_WARNINGS);
        break;
      }
    }
    await this.#db.put('syncQueue', updated);
    this.#notify(updated);
  }

  /** POST with a timeout on the injected clock; reads the whole reply inside the same timeout. */
  async #post(settings: SyncSettings, recordId: string, body: string): Promise<{ status: number; text: string; retryAfter: string | null }> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = this.#clock.setTimeout(() => {
      timedOut = true;
      controller.abort(new SyncError('TIMEOUT', `no reply from the lab server within ${this.#timeoutMs} ms`));
    }, this.#timeoutMs);
    try {
      const response = await this.#fetch(settings.serverUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          Authorization: `Bearer ${settings.token}`,
          'Idempotency-Key': recordId,
        },
        body,
        signal: controller.signal,
      });
      const text = await response.text();
      return { status: response.status, text, retryAfter: response.headers.get('Retry-After') };
    } catch (error) {
      if (timedOut) throw new SyncError('TIMEOUT', `no reply from the lab server within ${this.#timeoutMs} ms`);
      throw error;
    } finally {
      this.#clock.clearTimeout(timer);
    }
  }

  #notify(entry: SyncEntry): void {
    for (const listener of this.#listeners) {
      try {
        listener(entry);
      } catch {
        // a UI listener's error must not stop the queue
      }
    }
  }
}
