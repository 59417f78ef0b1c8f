/** Small user choices kept in the StimBench IndexedDB database's `settings` store, each behind its owner's port. */
import type { NotificationChoiceStore } from '../session/notificationChoicePort.ts';
import type { StimbenchDb } from './openStimbenchDb.ts';

/** The `settings` key of the programme-notification choice. */
export const NOTIFY_SETTING_KEY = 'programmes.notifications';

export function notificationChoice(db: StimbenchDb): NotificationChoiceStore {
  return {
    get: async () => (await db.get('settings', NOTIFY_SETTING_KEY))?.value === true,
    set: async (on) => {
      await db.put('settings', { key: NOTIFY_SETTING_KEY, value: on });
    },
  };
}
