/**
 * The preset catalogue for the command line: the built-in presets and programmes plus the user's own,
 * kept in one `stimbench-presets` v1 file (the app's exchange format). Imports go through the app's own
 * checks (parsePresetFile, checkResultingCatalogue), so a file the app would refuse is refused here too,
 * and a refused import leaves the catalogue file untouched.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { BUILTIN_IDS } from '../lib/presets/CatalogueStore.ts';
import { BUILTIN_PRESETS } from '../lib/presets/builtinPresets.ts';
import { BUILTIN_PROGRAMMES } from '../lib/presets/builtinProgrammes.ts';
import { checkResultingCatalogue, mergeCatalogue } from '../lib/presets/checkCatalogue.ts';
import { exportPresetFile } from '../lib/presets/exportPresetFile.ts';
import { parsePresetFile } from '../lib/presets/parsePresetFile.ts';
import type { Preset, PresetFile, Programme } from '../lib/presets/types.ts';
import { CliError, EXIT } from './exitCodes.ts';

export const DEFAULT_CATALOGUE_FILE = 'stimbench-presets.json';

export interface Catalogue {
  presets: { preset: Preset; builtin: boolean }[];
  programmes: { programme: Programme; builtin: boolean }[];
  user: PresetFile;
}

/** Read JSON from a file (or '-' for stdin), with file and line in the error. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(EXIT.refused, `could not read ${path} (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(EXIT.refused, `${path} is not valid JSON (${(error as Error).message})`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function loadCatalogue(file: string): Promise<Catalogue> {
  let user: PresetFile = { format: 'stimbench-presets', version: 1, presets: [], programmes: [] };
  let exists = true;
  try {
    await readFile(file);
  } catch {
    exists = false;
  }
  if (exists) {
    try {
      user = parsePresetFile(await readJsonFile(file), { reservedIds: BUILTIN_IDS });
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(EXIT.refused, `the catalogue ${file} is not a valid preset file: ${(error as Error).message}`);
    }
  }
  return {
    presets: [...BUILTIN_PRESETS.map((preset) => ({ preset, builtin: true })), ...user.presets.map((preset) => ({ preset, builtin: false }))],
    programmes: [...BUILTIN_PROGRAMMES.map((programme) => ({ programme, builtin: true })), ...user.programmes.map((programme) => ({ programme, builtin: false }))],
    user,
  };
}

export function findPreset(catalogue: Catalogue, id: string): Preset {
  const hit = catalogue.presets.find((p) => p.preset.id === id);
  if (!hit) throw new CliError(EXIT.refused, `no preset "${id}" (list them with: stimbench presets list)`);
  return hit.preset;
}

/**
 * Import a preset file into the user catalogue with the app's rules: ids of built-ins refused, a user
 * preset with the same id replaced, every programme of the resulting catalogue checked. Throws the app's
 * PresetImportError / CatalogueRuleError; writes the catalogue only when everything passed.
 */
export async function importIntoCatalogue(catalogueFile: string, input: unknown): Promise<{ presets: number; programmes: number }> {
  const catalogue = await loadCatalogue(catalogueFile);
  const known = new Map(catalogue.presets.map((p) => [p.preset.id, p.preset] as const));
  const file = parsePresetFile(input, { reservedIds: BUILTIN_IDS, knownPresets: known });
  const presets = mergeCatalogue(catalogue.user.presets, file.presets);
  const programmes = mergeCatalogue(catalogue.user.programmes, file.programmes);
  const resulting = new Map([...BUILTIN_PRESETS, ...presets].map((p) => [p.id, p] as const));
  checkResultingCatalogue(resulting, [...BUILTIN_PROGRAMMES, ...programmes]);
  await writeFileDurably(catalogueFile, `${exportPresetFile(presets, programmes)}\n`);
  return { presets: file.presets.length, programmes: file.programmes.length };
}

/** Write to a temporary file, fsync, rename over: a crash leaves the old file or the new one, never half. */
export async function writeFileDurably(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}
