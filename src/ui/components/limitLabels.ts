import type { BindingSource } from '../../lib/session/bindingLimit.ts';

const LABELS: Record<BindingSource, string> = {
  'mode-table': 'mode table',
  'board-caps': 'board cap',
  'lab-cap': 'lab cap',
  'rms-current': 'r.m.s. current',
  'charge-per-phase': 'charge per phase',
  'current-density': 'current density',
  'density-override': 'raised density limit',
  'slew-rate': 'slew rate',
  protocol: 'protocol',
  preset: 'preset',
  chosen: 'chosen for this session',
};

/** Human label for the rule that set a bound. */
export function sourceLabel(source: BindingSource): string {
  return LABELS[source];
}
