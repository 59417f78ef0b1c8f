/**
 * Check the catalogue an import would leave, not only the file: a file that replaces a user preset
 * (same id) changes every programme already using that preset. parsePresetFile checks the file's own
 * programmes; this checks every programme of the resulting catalogue (built-in, stored and imported)
 * against the resulting presets, with the same rules (daily cap per day, slots in order without
 * overlap, known presets). The first programme that breaks a rule refuses the import whole.
 */
import { CatalogueRuleError, type PresetIssue } from './errors.ts';
import { checkProgramme, describe } from './parsePresetFile.ts';
import type { Preset, Programme } from './types.ts';

/** Throws CatalogueRuleError naming the first programme (in the given order) that breaks a rule. */
export function checkResultingCatalogue(presetsById: ReadonlyMap<string, Preset>, programmes: readonly Programme[]): void {
  for (const programme of programmes) {
    const issues: PresetIssue[] = [];
    const at = `programme "${programme.id}"`;
    checkProgramme(programme, at, (path, expected, got, message) => issues.push({ path, expected, got: describe(got), message }), presetsById);
    if (issues.length > 0) throw new CatalogueRuleError(programme.id, programme.name, issues as [PresetIssue, ...PresetIssue[]]);
  }
}

/** The presets and programmes after importing `file` over `current`: same id replaces, new id adds. */
export function mergeCatalogue<T extends { id: string }>(current: readonly T[], incoming: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of current) byId.set(item.id, item);
  for (const item of incoming) byId.set(item.id, item);
  return [...byId.values()];
}
