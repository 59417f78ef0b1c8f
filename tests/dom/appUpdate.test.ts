/** A new version waits: apply() reloads only when no output can be on and nothing is running. */
import { describe, expect, test, vi } from 'vitest';
import { AppUpdateState } from '../../src/ui/state/appUpdate.svelte.ts';

function setup(busy: { value: boolean }) {
  let needRefresh = () => {};
  const updateSW = vi.fn(async () => {});
  const update = new AppUpdateState((callbacks) => {
    needRefresh = callbacks.onNeedRefresh;
    return updateSW;
  }, () => busy.value);
  return { update, updateSW, needRefresh: () => needRefresh() };
}

describe('app update', () => {
  test('nothing to apply before the service worker finds a new version', async () => {
    const s = setup({ value: false });
    expect(s.update.available).toBe(false);
    expect(await s.update.apply()).toBe(false);
    expect(s.updateSW).not.toHaveBeenCalled();
  });

  test('refused while busy, applied (with a reload) once not', async () => {
    const busy = { value: true };
    const s = setup(busy);
    s.needRefresh();
    expect(s.update.available).toBe(true);
    expect(s.update.blocked).toBe(true);
    expect(await s.update.apply()).toBe(false);
    expect(s.updateSW).not.toHaveBeenCalled();
    busy.value = false;
    expect(await s.update.apply()).toBe(true);
    expect(s.updateSW).toHaveBeenCalledWith(true);
  });
});
