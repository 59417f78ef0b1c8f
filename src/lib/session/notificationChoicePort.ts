/**
 * Where the user's choice to be notified of due programme sessions is kept. The session layer owns this
 * interface; storage/settingsTable.ts keeps it in IndexedDB.
 */
export interface NotificationChoiceStore {
  /** True only when the user turned notifications on (and has not turned them off since). */
  get(): Promise<boolean>;
  set(on: boolean): Promise<void>;
}
