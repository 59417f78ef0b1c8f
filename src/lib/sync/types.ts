/** Lab sync: settings and the per-record delivery state kept durably in IndexedDB. */

export interface SyncSettings {
  /** The lab endpoint records are POSTed to, http(s). */
  serverUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
}

/**
 * pending: waiting for its next attempt (also while offline or in flight).
 * delivered: the server confirmed it (2xx with a well-formed reply, also when it already had it).
 * failed: the server refused it permanently (4xx other than 408/409/429); not retried.
 * conflict: the server holds a different record under the same id (409); this one was NOT stored and is
 * not retried: someone must compare the two.
 */
export type SyncState = 'pending' | 'delivered' | 'failed' | 'conflict';

export interface SyncEntry {
  recordId: string;
  state: SyncState;
  attempts: number;
  enqueuedWallMs: number;
  /** When the next attempt is due (wall clock, so it survives a reload). */
  nextAttemptWallMs: number;
  lastAttemptWallMs: number | null;
  lastHttpStatus: number | null;
  lastError: string | null;
  deliveredWallMs: number | null;
  /** Things the user should know, e.g. "malformed 2xx reply: not confirmed, will retry". Newest last, capped. */
  warnings: string[];
}
