/** A valid user preset file, built from copies of built-ins with new ids (fresh object each call). */
import { BUILTIN_PRESETS } from '../../src/lib/presets/builtinPresets.ts';
import { BUILTIN_PROGRAMMES } from '../../src/lib/presets/builtinProgrammes.ts';
import type { PresetFile } from '../../src/lib/presets/types.ts';

export function userFile(): PresetFile {
  const pick = (id: string) => structuredClone(BUILTIN_PRESETS.find((p) => p.id === id)!);
  const a = { ...pick('conventional-tens'), id: 'user-conventional' };
  const b = { ...pick('burst-tens'), id: 'user-burst' };
  const c = { ...pick('modulated-tens'), id: 'user-modulated' };
  const programme = { ...structuredClone(BUILTIN_PROGRAMMES.find((p) => p.id === 'weekly-conventional-4-week')!), id: 'user-weekly' };
  programme.slots = [{ id: 'am', startMinuteOfDay: 9 * 60, presetId: 'user-conventional', intensity: 'day' }, { id: 'pm', startMinuteOfDay: 18 * 60, presetId: 'user-burst', intensity: 'night' }];
  return { format: 'stimbench-presets', version: 1, presets: [a, b, c], programmes: [programme] };
}
