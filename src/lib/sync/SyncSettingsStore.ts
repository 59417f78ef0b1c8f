/** The lab server URL and token, kept in the settings store. The token is stored as given (IndexedDB is per-origin). */
import type { StimbenchDb } from '../storage/openStimbenchDb.ts';
import { SyncError } from './errors.ts';
import type { SyncSettings } from './types.ts';

const KEY = 'labSync';

export function checkSyncSettings(settings: SyncSettings): SyncSettings {
  let url: URL;
  try {
    url = new URL(settings.serverUrl);
  } catch {
    throw new SyncError('BAD_SETTINGS', `lab server URL: expected an absolute http(s) URL, got "${settings.serverUrl}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SyncError('BAD_SETTINGS', `lab server URL: expected http or https, got ${url.protocol}`);
  if (settings.token.trim() === '') throw new SyncError('BAD_SETTINGS', 'lab token: expected a non-empty token, got an empty one');
  return { serverUrl: url.toString(), token: settings.token.trim() };
}

export class SyncSettingsStore {
  readonly db: StimbenchDb;
  constructor(db: StimbenchDb) {
    this.db = db;
  }

  async get(): Promise<SyncSettings | null> {
    const row = await this.db.get('settings', KEY);
    return (row?.value as SyncSettings | undefined) ?? null;
  }

  async set(settings: SyncSettings): Promise<SyncSettings> {
    const checked = checkSyncSettings(settings);
    await this.db.put('settings', { key: KEY, value: checked });
    return checked;
  }

  async clear(): Promise<void> {
    await this.db.delete('settings', KEY);
  }
}
