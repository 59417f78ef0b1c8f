/**
 * Whether a preset may run on the connected board as it stands. Two rules:
 * - a template's placeholders must all have been replaced by the user (the preset lists none left);
 * - a percutaneous-lead preset needs a board that declares a percutaneous output.
 *
 * Protocol v1's INFO has no capability flags and its layout is frozen in every version (PROTOCOL.md § 6,
 * § 15), so no v1 board can declare a percutaneous output: percutaneous presets are refused on every v1
 * board. `outputs` is where a later protocol version's declaration will arrive.
 */
import { PresetNotRunnableError } from './errors.ts';
import type { Preset } from './types.ts';

/** What the board declares it can drive. */
export interface BoardOutputs {
  percutaneous: boolean;
}

/** Protocol v1 boards: surface outputs only (INFO cannot say otherwise). */
export const V1_BOARD_OUTPUTS: Readonly<BoardOutputs> = Object.freeze({ percutaneous: false });

const FIELD_WORDS: Record<string, string> = {
  mode: 'mode',
  waveform: 'waveform',
  frequencyDeciHz: 'frequency (Hz)',
  pulseWidthUs: 'pulse width (µs)',
  amplitudeUa: 'amplitude ceiling (mA)',
  durationMs: 'duration (min)',
  rampUpMs: 'ramp up (s)',
  rampDownMs: 'ramp down (s)',
  startAmplitudeUa: 'start amplitude (mA)',
};

/** Throws PresetNotRunnableError when `preset` may not run on a board with `outputs`. */
export function assertPresetRunnable(preset: Preset, outputs: Readonly<BoardOutputs> = V1_BOARD_OUTPUTS): void {
  const left = preset.placeholders ?? [];
  if (left.length > 0) {
    const words = left.map((k) => FIELD_WORDS[k] ?? k);
    throw new PresetNotRunnableError(
      'PLACEHOLDERS_LEFT',
      preset.id,
      left,
      `"${preset.name}" is a template: replace its placeholder values first (${words.join(', ')}). Export it, enter the values your protocol specifies, remove them from "placeholders", and import it as your own preset.`,
    );
  }
  if (preset.electrodes === 'percutaneous' && !outputs.percutaneous) {
    throw new PresetNotRunnableError(
      'NEEDS_PERCUTANEOUS_OUTPUT',
      preset.id,
      ['electrodes'],
      `"${preset.name}" drives a percutaneous lead, and the connected board does not declare a percutaneous output; StimBench will not drive a lead through the skin from a surface-electrode board.`,
    );
  }
}
