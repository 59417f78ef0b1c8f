/** Online/offline, injectable: the browser's navigator.onLine and 'online' event, or always online. */
export interface Connectivity {
  isOnline(): boolean;
  /** Called when the browser comes back online. Returns an unsubscribe function. */
  onOnline(listener: () => void): () => void;
}

export const alwaysOnline: Connectivity = { isOnline: () => true, onOnline: () => () => {} };

export function browserConnectivity(scope: { navigator?: { onLine?: boolean }; addEventListener?: EventTarget['addEventListener']; removeEventListener?: EventTarget['removeEventListener'] } = globalThis as never): Connectivity {
  if (!scope.navigator || typeof scope.navigator.onLine !== 'boolean' || typeof scope.addEventListener !== 'function') return alwaysOnline;
  return {
    isOnline: () => scope.navigator?.onLine !== false,
    onOnline: (listener) => {
      scope.addEventListener!('online', listener);
      return () => scope.removeEventListener?.('online', listener);
    },
  };
}
