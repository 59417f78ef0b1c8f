import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { BUILTIN_PRESETS } from '../../src/lib/presets/builtinPresets.ts';
import { CatalogueStore } from '../../src/lib/presets/CatalogueStore.ts';
import { CatalogueRuleError, PresetImportError } from '../../src/lib/presets/errors.ts';
import { catalogueTables } from '../../src/lib/storage/catalogueTables.ts';
import { openStimbenchDb, type StimbenchDb } from '../../src/lib/storage/openStimbenchDb.ts';
import { userFile } from './fixtures.ts';

let dbs: StimbenchDb[] = [];
let n = 0;
async function freshCatalogue(): Promise<CatalogueStore> {
  const db = await openStimbenchDb({ name: `catalogue-${n++}` });
  dbs.push(db);
  return new CatalogueStore(catalogueTables(db));
}
afterEach(() => {
  for (const db of dbs) db.close();
  dbs = [];
});

async function contents(store: CatalogueStore) {
  const [presets, programmes] = await Promise.all([store.presets(), store.programmes()]);
  return { presets: presets.map((e) => e.item), programmes: programmes.map((e) => e.item) };
}

describe('CatalogueStore', () => {
  test('lists the built-ins, imports a good file and exports it back', async () => {
    const store = await freshCatalogue();
    const before = await store.presets();
    expect(before.length).toBe(BUILTIN_PRESETS.length);
    expect(before.every((e) => e.builtin)).toBe(true);
    expect(await store.importFile(userFile())).toEqual({ presets: 3, programmes: 1 });
    const after = await store.presets();
    expect(after.filter((e) => !e.builtin).map((e) => e.item.id).sort()).toEqual(['user-burst', 'user-conventional', 'user-modulated']);
    expect((await store.preset('user-burst')).program.mode).toBe('burst');
    expect((await store.programme('user-weekly')).slots).toHaveLength(2);
    const exported = JSON.parse(await store.exportFile());
    expect(exported.format).toBe('stimbench-presets');
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect([...exported.presets].sort(byId)).toEqual([...userFile().presets].sort(byId));
  });

  test('re-importing replaces user entries with the same id; built-in ids are refused', async () => {
    const store = await freshCatalogue();
    await store.importFile(userFile());
    const changed = userFile();
    changed.presets[0]!.name = 'renamed';
    await store.importFile(changed);
    expect((await store.preset('user-conventional')).name).toBe('renamed');
    const clash = userFile();
    clash.presets[0]!.id = 'conventional-tens';
    clash.programmes[0]!.slots[0]!.presetId = 'conventional-tens';
    await expect(store.importFile(clash)).rejects.toMatchObject({ name: 'PresetImportError', path: 'presets[0].id' });
  });

  test('a bad file leaves the catalogue exactly as it was (nothing half-imported)', async () => {
    const store = await freshCatalogue();
    await store.importFile(userFile());
    const before = await contents(store);
    const bad = userFile();
    bad.presets[0]!.id = 'user-new-1';
    bad.presets[1]!.id = 'user-new-2';
    bad.presets[2]!.program.pulseWidthUs = 10_000; // the last preset is bad
    bad.programmes[0]!.slots = [{ id: 'x', startMinuteOfDay: 60, presetId: 'user-new-1', intensity: 'day' }];
    await expect(store.importFile(bad)).rejects.toBeInstanceOf(PresetImportError);
    expect(await contents(store)).toEqual(before);
  });

  test('replacing a user preset with a 12 h version is refused whole when an existing programme would then plan 24 h a day', async () => {
    const store = await freshCatalogue();
    // An existing programme runs the user's 30-min preset twice a day (1 h planned per day).
    const first = userFile();
    first.programmes[0]!.slots = [
      { id: 'midnight', startMinuteOfDay: 0, presetId: 'user-conventional', intensity: 'day' },
      { id: 'noon', startMinuteOfDay: 12 * 60, presetId: 'user-conventional', intensity: 'day' },
    ];
    await store.importFile(first);
    const before = await contents(store);
    // A later file holds only that preset, now 12 h long (valid on its own: conventional mode allows 12 h).
    const twelveHours = structuredClone(first.presets[0]!);
    twelveHours.program.durationMs = 12 * 60 * 60 * 1000;
    twelveHours.name = 'user conventional, 12 h';
    const file = { format: 'stimbench-presets' as const, version: 1 as const, presets: [twelveHours], programmes: [] };
    const error = await store.importFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogueRuleError);
    expect(error).toMatchObject({ code: 'CATALOGUE_RULE', programmeId: 'user-weekly' });
    expect((error as CatalogueRuleError).issues[0]).toMatchObject({ path: 'programme "user-weekly".slots', got: String(24 * 60 * 60 * 1000) });
    expect((error as Error).message).toMatch(/programme ".*" \(user-weekly\).*daily cap/);
    // Nothing changed: the old 30-min preset and the programme are exactly as they were.
    expect(await contents(store)).toEqual(before);
    expect((await store.preset('user-conventional')).program.durationMs).toBe(first.presets[0]!.program.durationMs);
    // The same file is accepted once the programme no longer plans over the cap.
    await store.deleteUserProgramme('user-weekly');
    await expect(store.importFile(file)).resolves.toEqual({ presets: 1, programmes: 0 });
  });

  test('a write that fails inside the transaction aborts all of it', async () => {
    const store = await freshCatalogue();
    // The 4th put of the import (the programme, after three presets) fails as a real IndexedDB would on a
    // value it cannot store; the three presets already put in that transaction must be rolled back.
    const proto = (globalThis as unknown as { IDBObjectStore: { prototype: { put: (...args: unknown[]) => unknown } } }).IDBObjectStore.prototype;
    const realPut = proto.put;
    let calls = 0;
    const failing = vi.spyOn(proto, 'put').mockImplementation(function (this: unknown, ...args: unknown[]) {
      calls++;
      if (calls === 4) throw new DOMException('could not be cloned', 'DataCloneError');
      return realPut.apply(this, args);
    });
    try {
      await expect(store.importFile(userFile())).rejects.toThrow('could not be cloned');
    } finally {
      failing.mockRestore();
    }
    expect(calls).toBe(4);
    expect((await store.presets()).filter((e) => !e.builtin)).toEqual([]);
    expect((await store.programmes()).filter((e) => !e.builtin)).toEqual([]);
  });

  // Property: whatever single corruption is applied to a good file, a refused import changes nothing,
  // and the error names the path that was corrupted (for shape corruptions).
  test('property: mutated files are refused without side effects', async () => {
    const store = await freshCatalogue();
    await store.importFile(userFile());
    const before = await contents(store);

    type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
    const leafPaths = (value: Json, path: (string | number)[] = []): (string | number)[][] => {
      if (Array.isArray(value)) return [path, ...value.flatMap((v, i) => leafPaths(v, [...path, i]))];
      if (value !== null && typeof value === 'object') return [path, ...Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]))];
      return [path];
    };
    const base = userFile() as unknown as Json;
    // Paths inside notes/citations text accept any string, so a string→string change there is not a corruption.
    const paths = leafPaths(base).filter((p) => p.length > 0);
    const mutations = ['wrong-type', 'delete', 'unknown-key', 'negative', 'huge'] as const;

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.constantFrom(...mutations), async (path, mutation) => {
        const file = structuredClone(base) as Json;
        let parent: Json = file;
        for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key]!;
        const last = path[path.length - 1]!;
        const container = parent as Record<string | number, Json>;
        const original = container[last];
        let expectPathPrefix: string | null = null;
        const pathText = path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/^\./, '');
        switch (mutation) {
          case 'wrong-type':
            container[last] = typeof original === 'number' ? 'x' : typeof original === 'string' ? 42 : Array.isArray(original) ? { not: 'a list' } : 7;
            expectPathPrefix = pathText;
            break;
          case 'delete':
            if (Array.isArray(container)) return; // deleting an array element is a valid file
            delete container[last];
            break;
          case 'unknown-key':
            if (original === null || typeof original !== 'object' || Array.isArray(original)) return;
            (original as Record<string, Json>).__bogus = 1;
            expectPathPrefix = `${pathText}.__bogus`;
            break;
          case 'negative':
            if (typeof original !== 'number') return;
            container[last] = -1;
            break;
          case 'huge':
            if (typeof original !== 'number') return;
            container[last] = 1e12;
            break;
        }
        let error: unknown = null;
        try {
          await store.importFile(file);
        } catch (e) {
          error = e;
        }
        // Deleting an optional key can leave a valid file; every other mutation here must be refused.
        if (error === null) {
          expect(mutation).toBe('delete');
          await store.importFile(userFile()); // put the catalogue back for the next run
          return;
        }
        expect(error).toBeInstanceOf(PresetImportError);
        if (expectPathPrefix !== null) expect((error as PresetImportError).path.startsWith(expectPathPrefix)).toBe(true);
        expect(await contents(store)).toEqual(before);
      }),
      { numRuns: 300, seed: 4242 },
    );
  });
});
