import type { LimitSource } from '../../../firmware-protocol/src/index.ts';

const LABELS: Record<LimitSource, string> = {
  'mode-table': 'mode table',
  'board-caps': 'board cap',
  'lab-cap': 'lab cap',
  'rms-current': 'r.m.s. current',
  'charge-per-phase': 'charge per phase',
  'current-density': 'current density',
  'slew-rate': 'slew rate',
  protocol: 'protocol',
};

/** Human label for the rule that set a bound. */
export function sourceLabel(source: LimitSource): string {
  return LABELS[source];
}
