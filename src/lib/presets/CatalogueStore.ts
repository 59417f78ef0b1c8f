/**
 * The catalogue the UI shows: the built-in presets and programmes (read-only) plus the user's own,
 * stored through a CatalogueDb (IndexedDB in the app). Importing a file is all or nothing: the whole file
 * is parsed and checked first (parsePresetFile throws before anything is written), then every entry is
 * written in one all-or-nothing putAll, so a failure part-way aborts it and the catalogue is left exactly as it was.
 */
import { BUILTIN_PRESETS } from './builtinPresets.ts';
import { BUILTIN_PROGRAMMES } from './builtinProgrammes.ts';
import { checkResultingCatalogue, mergeCatalogue } from './checkCatalogue.ts';
import { PresetNotFoundError } from './errors.ts';
import { exportPresetFile } from './exportPresetFile.ts';
import { parsePresetFile } from './parsePresetFile.ts';
import type { CatalogueDb } from './cataloguePort.ts';
import type { Preset, Programme } from './types.ts';

export interface CatalogueEntry<T> {
  item: T;
  builtin: boolean;
}

export const BUILTIN_IDS: ReadonlySet<string> = new Set([...BUILTIN_PRESETS.map((p) => p.id), ...BUILTIN_PROGRAMMES.map((p) => p.id)]);

export class CatalogueStore {
  readonly db: CatalogueDb;
  constructor(db: CatalogueDb) {
    this.db = db;
  }

  async presets(): Promise<CatalogueEntry<Preset>[]> {
    const user = await this.db.userPresets();
    return [...BUILTIN_PRESETS.map((item) => ({ item, builtin: true })), ...user.map((item) => ({ item, builtin: false }))];
  }

  async programmes(): Promise<CatalogueEntry<Programme>[]> {
    const user = await this.db.userProgrammes();
    return [...BUILTIN_PROGRAMMES.map((item) => ({ item, builtin: true })), ...user.map((item) => ({ item, builtin: false }))];
  }

  async preset(id: string): Promise<Preset> {
    const builtin = BUILTIN_PRESETS.find((p) => p.id === id);
    if (builtin) return builtin;
    const user = await this.db.userPreset(id);
    if (!user) throw new PresetNotFoundError(id);
    return user;
  }

  async programme(id: string): Promise<Programme> {
    const builtin = BUILTIN_PROGRAMMES.find((p) => p.id === id);
    if (builtin) return builtin;
    const user = await this.db.userProgramme(id);
    if (!user) throw new PresetNotFoundError(id);
    return user;
  }

  /**
   * Import a parsed JSON value (e.g. `JSON.parse(fileText)`). Throws PresetImportError (nothing written)
   * when any part is bad, and CatalogueRuleError (nothing written) when the catalogue it would leave has a
   * programme that breaks a rule (e.g. a replaced preset makes an existing programme plan more than the
   * daily cap). Entries with the id of an existing user entry replace it; built-in ids are refused.
   */
  async importFile(input: unknown): Promise<{ presets: number; programmes: number }> {
    const [presets, programmes] = await Promise.all([this.presets(), this.programmes()]);
    const known = new Map<string, Preset>();
    for (const entry of presets) known.set(entry.item.id, entry.item);
    const file = parsePresetFile(input, { reservedIds: BUILTIN_IDS, knownPresets: known });
    const resultingPresets = new Map(mergeCatalogue([...known.values()], file.presets).map((p) => [p.id, p] as const));
    checkResultingCatalogue(resultingPresets, mergeCatalogue(programmes.map((e) => e.item), file.programmes));
    // All or nothing: a failure part-way keeps nothing of this file.
    await this.db.putAll(file.presets, file.programmes);
    return { presets: file.presets.length, programmes: file.programmes.length };
  }

  /** Export the user's own presets and programmes (and optionally the built-ins) as a file. */
  async exportFile(options: { includeBuiltins?: boolean } = {}): Promise<string> {
    const [presets, programmes] = await Promise.all([this.presets(), this.programmes()]);
    const keep = <T>(entries: CatalogueEntry<T>[]) => entries.filter((e) => options.includeBuiltins || !e.builtin).map((e) => e.item);
    return exportPresetFile(keep(presets), keep(programmes));
  }

  async deleteUserPreset(id: string): Promise<void> {
    await this.db.deletePreset(id);
  }
  async deleteUserProgramme(id: string): Promise<void> {
    await this.db.deleteProgramme(id);
  }
}
