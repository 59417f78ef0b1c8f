/** Serialise presets and programmes as the versioned exchange file `stimbench-presets` v1. */
import { PRESET_FILE_FORMAT, PRESET_FILE_VERSION, type Preset, type PresetFile, type Programme } from './types.ts';

export function presetFileOf(presets: readonly Preset[], programmes: readonly Programme[]): PresetFile {
  return { format: PRESET_FILE_FORMAT, version: PRESET_FILE_VERSION, presets: [...presets], programmes: [...programmes] };
}

export function exportPresetFile(presets: readonly Preset[], programmes: readonly Programme[]): string {
  return JSON.stringify(presetFileOf(presets, programmes), null, 2);
}
