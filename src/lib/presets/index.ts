/** The preset catalogue: built-in presets and programmes with citations, the exchange file, the user's store. */
export type { Citation, Preset, PresetFile, PresetScope, PresetTerm, PresetValueKey, Programme, ProgrammeSlot, ProgrammeValueKey, Provenance } from './types.ts';
export { PRESET_FILE_FORMAT, PRESET_FILE_VERSION } from './types.ts';
export { BUILTIN_PRESETS } from './builtinPresets.ts';
export { BUILTIN_PROGRAMMES } from './builtinProgrammes.ts';
export { CITATIONS } from './citations.ts';
export { CatalogueStore, BUILTIN_IDS, type CatalogueEntry } from './CatalogueStore.ts';
export { parsePresetFile, formatPath, PROGRAMME_DAY_MAX_MS, type ParsePresetFileOptions } from './parsePresetFile.ts';
export { exportPresetFile, presetFileOf } from './exportPresetFile.ts';
export { CatalogueRuleError, PresetError, PresetImportError, PresetNotFoundError, type PresetIssue } from './errors.ts';
export { PRESET_VALUE_KEYS, PROGRAMME_VALUE_KEYS } from './provenanceOf.ts';
