import { describe, expect, test } from 'vitest';
import { HistoryState } from '../../src/ui/state/history.svelte.ts';
import { fakeServices, rig, seedClosed, syncEntry } from './historyFixtures.ts';

const T0 = Date.UTC(2026, 0, 5, 9);

describe('HistoryState', () => {
  test('refreshSync picks up a delivery made by the sync layer after the list was loaded', async () => {
    const r = await rig();
    await seedClosed(r.store, { id: 'a', createdWallMs: T0, outcome: 'completed' });
    await r.db.put('syncQueue', syncEntry('a', 'pending', { lastError: 'network error: offline' }));
    const history = new HistoryState(fakeServices(r));
    await history.load();
    expect(history.syncOf('a')).toMatchObject({ state: 'pending', lastError: 'network error: offline' });
    await r.db.put('syncQueue', syncEntry('a', 'delivered', { deliveredWallMs: T0 + 1000, lastHttpStatus: 201 }));
    expect(history.syncOf('a')!.state).toBe('pending');
    await history.refreshSync();
    expect(history.syncOf('a')).toMatchObject({ state: 'delivered', lastHttpStatus: 201 });
  });

  test('an export failure is reported, never thrown, and nothing is downloaded', async () => {
    const r = await rig();
    const saved: string[] = [];
    const history = new HistoryState(fakeServices(r), { download: (_t, name) => saved.push(name) });
    await history.exportJson('missing');
    expect(history.exportMessage).toMatch(/^Export failed: That session record was not found\.\ncode: StorageError RECORD_NOT_FOUND: no record missing/);
    expect(saved).toEqual([]);
  });

  test('a record that cannot be opened shows an error instead of a stale detail', async () => {
    const r = await rig();
    await seedClosed(r.store, { id: 'a', createdWallMs: T0, outcome: 'completed' });
    const history = new HistoryState(fakeServices(r));
    await history.select('a');
    expect(history.selected?.record.id).toBe('a');
    await history.select('gone');
    expect(history.selected).toBeNull();
    expect(history.detailError).toMatch(/no record gone/);
  });
});
