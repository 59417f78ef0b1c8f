/**
 * What the catalogue needs from a database: the user's own presets and programmes. The presets layer owns
 * this interface and never imports storage; storage/catalogueTables.ts implements it over IndexedDB.
 */
import type { Preset, Programme } from './types.ts';

export interface CatalogueDb {
  userPresets(): Promise<Preset[]>;
  userProgrammes(): Promise<Programme[]>;
  userPreset(id: string): Promise<Preset | undefined>;
  userProgramme(id: string): Promise<Programme | undefined>;
  /** Writes every entry or none: a failure part-way leaves the stored catalogue exactly as it was. */
  putAll(presets: readonly Preset[], programmes: readonly Programme[]): Promise<void>;
  deletePreset(id: string): Promise<void>;
  deleteProgramme(id: string): Promise<void>;
}
