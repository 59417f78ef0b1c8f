export const SCREENS = [
  { id: 'connect', label: 'Connect' },
  { id: 'control', label: 'Control' },
  { id: 'session', label: 'Session' },
  { id: 'history', label: 'History' },
  { id: 'programmes', label: 'Programmes' },
  { id: 'check', label: 'Board check' },
  { id: 'settings', label: 'Settings' },
] as const;
export type ScreenId = (typeof SCREENS)[number]['id'];

export function screenFromHash(hash: string): ScreenId {
  const id = hash.replace(/^#\/?/, '');
  return (SCREENS.find((s) => s.id === id)?.id ?? 'connect') as ScreenId;
}
