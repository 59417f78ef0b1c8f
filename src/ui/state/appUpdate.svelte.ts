/**
 * A new version of the app, found by the service worker. It is offered, never applied by itself: applying
 * it reloads the page, and a reload while output may be on would end a session with an emergency stop. So
 * `apply()` refuses while `busy()` says output may be on or a session or Board check is in progress.
 */

/** What registering the service worker gives back (vite-plugin-pwa's registerSW has this shape). */
export type RegisterServiceWorker = (callbacks: { onNeedRefresh: () => void; onOfflineReady: () => void }) => (reloadPage?: boolean) => Promise<void>;

export class AppUpdateState {
  #available = $state(false);
  #offlineReady = $state(false);
  #applying = $state(false);
  readonly #busy: () => boolean;
  readonly #update: (reloadPage?: boolean) => Promise<void>;

  constructor(register: RegisterServiceWorker, busy: () => boolean) {
    this.#busy = busy;
    this.#update = register({
      onNeedRefresh: () => (this.#available = true),
      onOfflineReady: () => (this.#offlineReady = true),
    });
  }

  /** A new version is waiting. */
  get available(): boolean {
    return this.#available;
  }
  /** The app is cached: it will start with no network. */
  get offlineReady(): boolean {
    return this.#offlineReady;
  }
  /** Output may be on, or a session or Board check is in progress: the update must wait. */
  get blocked(): boolean {
    return this.#busy();
  }

  /** Activate the new version and reload. Refused (false) while blocked. */
  async apply(): Promise<boolean> {
    if (!this.#available || this.#applying || this.#busy()) return false;
    this.#applying = true;
    await this.#update(true);
    return true;
  }
}
