/**
 * The electrode on each channel, by its contact area. Current density (r.m.s. current per cm² of
 * electrode) can only be checked when the area is known, so a channel has no program sent until its
 * electrode is chosen: from the common pad sizes below, or entered.
 */
import type { Violation } from '../../../firmware-protocol/src/index.ts';

/** Smallest plausible surface pad, cm² (a 1 × 1 cm finger electrode). Below this, an entry is a typo. */
export const MIN_ELECTRODE_AREA_CM2 = 1;
/** Largest plausible surface pad, cm² (10 × 15 cm, the biggest common TENS/EMS pad). */
export const MAX_ELECTRODE_AREA_CM2 = 150;

export interface ElectrodePad {
  id: string;
  /** What the user sees, with units. */
  label: string;
  areaCm2: number;
}

const roundPadAreaCm2 = (diameterCm: number) => Math.round(Math.PI * (diameterCm / 2) ** 2 * 100) / 100;

/** Common self-adhesive pad sizes (square/rectangular by side lengths, round by diameter). */
export const ELECTRODE_PADS: readonly ElectrodePad[] = Object.freeze([
  { id: 'rect-2x2', label: '2 × 2 cm square', areaCm2: 4 },
  { id: 'round-3.2', label: 'Round, 3.2 cm diameter', areaCm2: roundPadAreaCm2(3.2) },
  { id: 'rect-4x4', label: '4 × 4 cm square', areaCm2: 16 },
  { id: 'round-5', label: 'Round, 5 cm diameter', areaCm2: roundPadAreaCm2(5) },
  { id: 'rect-5x5', label: '5 × 5 cm square', areaCm2: 25 },
  { id: 'rect-5x9', label: '5 × 9 cm rectangle', areaCm2: 45 },
]);

/** The problem with an electrode area in plain words, or null when it is plausible. */
export function electrodeAreaProblem(areaCm2: unknown): string | null {
  if (typeof areaCm2 !== 'number' || !Number.isFinite(areaCm2)) return 'the electrode area must be a number of cm²';
  if (areaCm2 < MIN_ELECTRODE_AREA_CM2 || areaCm2 > MAX_ELECTRODE_AREA_CM2) {
    return `an electrode area of ${areaCm2} cm² is outside the plausible ${MIN_ELECTRODE_AREA_CM2}–${MAX_ELECTRODE_AREA_CM2} cm² for a surface pad`;
  }
  return null;
}

/** The violation that stops a program on a channel with no electrode chosen (current density unknowable). */
export function missingElectrodeViolation(channel: number): Violation {
  return {
    field: 'channel',
    value: channel,
    bound: 'electrode area',
    kind: 'min',
    source: 'current-density',
    message: `no electrode chosen for channel ${channel + 1}: choose the pad size (its area in cm²) so the current-density limit can be checked`,
  };
}
