/** The preset catalogue's tables (presets/cataloguePort.ts) in the StimBench IndexedDB database. */
import type { CatalogueDb } from '../presets/cataloguePort.ts';
import { commitAll } from './commitAll.ts';
import type { StimbenchDb } from './openStimbenchDb.ts';

export function catalogueTables(db: StimbenchDb): CatalogueDb {
  return {
    userPresets: () => db.getAll('userPresets'),
    userProgrammes: () => db.getAll('userProgrammes'),
    userPreset: (id) => db.get('userPresets', id),
    userProgramme: (id) => db.get('userProgrammes', id),
    async putAll(presets, programmes) {
      const tx = db.transaction(['userPresets', 'userProgrammes'], 'readwrite');
      // One transaction: a failure part-way aborts it and nothing of this batch is kept.
      await commitAll(tx, (add) => {
        for (const preset of presets) add(tx.objectStore('userPresets').put(preset));
        for (const programme of programmes) add(tx.objectStore('userProgrammes').put(programme));
      });
    },
    deletePreset: (id) => db.delete('userPresets', id),
    deleteProgramme: (id) => db.delete('userProgrammes', id),
  };
}
