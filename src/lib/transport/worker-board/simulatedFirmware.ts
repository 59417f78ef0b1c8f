/**
 * The firmware images the in-browser simulated board can be "flashed" with. Besides the shipped firmware
 * there are deliberately defective ones, so a user can watch Board check fail on a board that breaks a
 * rule (a check that cannot fail proves nothing). They exist only on the simulated board: a real board
 * runs whatever its owner flashed, and Board check is how they find out whether it conforms.
 */
import type { TestOnlyBreakages } from '../../../../hardware-mock/src/index.ts';

export const SIMULATED_FIRMWARE = {
  shipped: { label: 'As shipped (conforming)', breakages: {} },
  'watchdog-disabled': { label: 'Defective: the watchdog never stops the output', breakages: { watchdogDisabled: true } },
  'accepts-every-program': { label: 'Defective: accepts programs outside its limits', breakages: { acceptsEveryProgram: true } },
  'no-slew-limit': { label: 'Defective: amplitude jumps without the slew limit', breakages: { noSlewLimit: true } },
} as const satisfies Record<string, { label: string; breakages: TestOnlyBreakages }>;

export type SimulatedFirmware = keyof typeof SIMULATED_FIRMWARE;

export const SIMULATED_FIRMWARE_IDS = Object.keys(SIMULATED_FIRMWARE) as SimulatedFirmware[];

export function isSimulatedFirmware(value: unknown): value is SimulatedFirmware {
  return typeof value === 'string' && Object.hasOwn(SIMULATED_FIRMWARE, value);
}
