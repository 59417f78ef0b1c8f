/**
 * The lab server URL and token, checked before LabSync uses them. The app keeps them with the other lab
 * settings (localStorage, src/ui/state/settings.svelte.ts) and hands them to LabSync through its
 * `settings` callback; this is the one check they pass.
 */
import { SyncError } from './errors.ts';
import type { SyncSettings } from './types.ts';

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
