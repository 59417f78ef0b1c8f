/**
 * The Notifications API behind a small port, so the notifier can be tested with a fake and runs where
 * the API is missing (Node, some browsers) without a branch at every call.
 */
export type NotificationPermissionState = 'granted' | 'denied' | 'default';

export interface NotificationPort {
  permission(): NotificationPermissionState;
  /** Ask the user (browsers require a user gesture for this). */
  requestPermission(): Promise<NotificationPermissionState>;
  show(title: string, options: { body: string; tag: string }): void;
}

interface NotificationLike {
  readonly permission: NotificationPermissionState;
  requestPermission(): Promise<NotificationPermissionState>;
  new (title: string, options?: { body?: string; tag?: string }): unknown;
}

/** The browser's Notification API, or null when this environment has none. */
export function browserNotificationPort(scope: { Notification?: unknown } = globalThis as { Notification?: unknown }): NotificationPort | null {
  const api = scope.Notification as NotificationLike | undefined;
  if (typeof api !== 'function' || typeof api.requestPermission !== 'function') return null;
  return {
    permission: () => api.permission,
    requestPermission: () => api.requestPermission(),
    show: (title, options) => {
      new api(title, options);
    },
  };
}
