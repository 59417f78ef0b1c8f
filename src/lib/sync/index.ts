/** Lab sync: finished records POSTed to the lab server, queued durably, retried with backoff. */
export { LabSync, type LabSyncOptions } from './LabSync.ts';
export { SyncSettingsStore, checkSyncSettings } from './SyncSettingsStore.ts';
export { classifyResponse, type Verdict } from './classifyResponse.ts';
export { backoffMs, retryAfterMs } from './backoffMs.ts';
export { alwaysOnline, browserConnectivity, type Connectivity } from './connectivity.ts';
export { SyncError } from './errors.ts';
export type { SyncEntry, SyncSettings, SyncState } from './types.ts';
