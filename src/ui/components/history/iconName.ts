/** The icons StatusIcon.svelte can draw. */
export type IconName =
  | 'check'
  | 'stop'
  | 'octagon'
  | 'warning'
  | 'unplugged'
  | 'interrupted'
  | 'half'
  | 'cross'
  | 'bell'
  | 'circle'
  | 'play'
  | 'clock'
  | 'open';
