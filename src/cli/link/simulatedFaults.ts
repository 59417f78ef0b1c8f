/**
 * The simulated board's fault options, by name, for `--simulated-fault NAME` (repeatable). The first three
 * make the board deliberately non-conforming (hardware-mock's TEST-ONLY breakages: for showing that
 * `stimbench check` fails on a board that breaks a rule); the others are faults a real board or link has.
 */
import type { SimulatedBoard, SimulatedBoardOptions } from '../../../hardware-mock/src/index.ts';

interface FaultOption {
  description: string;
  options?: SimulatedBoardOptions;
  /** Applied to the board once it exists. */
  apply?: (board: SimulatedBoard) => void;
}

export const SIMULATED_FAULTS: Readonly<Record<string, FaultOption>> = {
  'watchdog-disabled': { description: 'non-conforming: the firmware watchdog never trips (silence never stops the output)', options: { testOnlyBreakages: { watchdogDisabled: true } } },
  'accepts-every-program': { description: 'non-conforming: out-of-limit programs and amplitudes are ACKed, never NACKed', options: { testOnlyBreakages: { acceptsEveryProgram: true } } },
  'no-slew-limit': { description: 'non-conforming: amplitude rises jump instead of slewing', options: { testOnlyBreakages: { noSlewLimit: true } } },
  frozen: { description: 'the firmware hangs: the board never answers', apply: (board) => board.inject.freeze() },
  'electrode-off': { description: 'channel 1 electrode off (the board faults as soon as it stimulates there)', apply: (board) => board.inject.electrodeOff(0) },
  'noisy-link': { description: '1 % of bytes corrupted on the link (frames dropped and counted)', apply: (board) => board.inject.corruption(0.01) },
};

export const SIMULATED_FAULT_NAMES = Object.keys(SIMULATED_FAULTS);

export function simulatedFaultHelp(): string {
  return SIMULATED_FAULT_NAMES.map((name) => `    ${name.padEnd(22)} ${SIMULATED_FAULTS[name]!.description}`).join('\n');
}

/** Board options for the named faults (merged). */
export function faultBoardOptions(names: readonly string[]): SimulatedBoardOptions {
  const breakages = {};
  for (const name of names) Object.assign(breakages, SIMULATED_FAULTS[name]?.options?.testOnlyBreakages ?? {});
  return Object.keys(breakages).length > 0 ? { testOnlyBreakages: breakages } : {};
}

export function applyFaults(board: SimulatedBoard, names: readonly string[]): void {
  for (const name of names) SIMULATED_FAULTS[name]?.apply?.(board);
}
